// Streamed action calls through the sidecar: every shape relays several messages each way;
// request headers, the first reply's metadata, forwards and side effects cross the sidecar as the
// protocol says.
#include <doctest/doctest.h>

#include <algorithm>

#include "streamed_actions_harness.h"

using namespace streamed_actions;

TEST_CASE("each shape relays several messages each way") {
  Harness h;

  st::Said unary;
  grpc::Status status = h.Unary("a", &unary);
  REQUIRE_MESSAGE(status.ok(), Describe(status));
  CHECK(unary.text() == "unary:a");

  SUBCASE("client streaming: one reply once the client is done") {
    grpc::ClientContext context;
    Bound(context);
    st::Said said;
    status = h.Collect({Say("in-1"), Say("in-2"), Say("in-3")}, &said, &context);
    REQUIRE_MESSAGE(status.ok(), Describe(status));
    CHECK(said.text() == "in-1,in-2,in-3");
    CHECK(h.function.seen().WaitEnded("in-1"));
  }

  SUBCASE("server streaming: every reply, in order, then OK") {
    grpc::ClientContext context;
    Bound(context);
    std::vector<std::string> replies;
    status = h.Expand(Say("out", "", 5), &replies, &context);
    REQUIRE_MESSAGE(status.ok(), Describe(status));
    CHECK(replies == std::vector<std::string>{"out-0", "out-1", "out-2", "out-3", "out-4"});
  }

  SUBCASE("server streaming with no reply at all") {
    grpc::ClientContext context;
    Bound(context);
    std::vector<std::string> replies;
    status = h.Expand(Say("none", "", 0), &replies, &context);
    REQUIRE_MESSAGE(status.ok(), Describe(status));
    CHECK(replies.empty());
  }

  SUBCASE("bidirectional: each message answered before the next is sent") {
    grpc::ClientContext context;
    Bound(context);
    auto chat = h.streams->Chat(&context);
    for (int i = 0; i < 5; ++i) {
      std::string text = "duplex-" + std::to_string(i);
      CHECK(Exchange(*chat, Say(text)) == "chat:" + text);
    }
    std::vector<std::string> rest;
    status = Close(*chat, &rest);
    REQUIRE_MESSAGE(status.ok(), Describe(status));
    CHECK(rest.empty());
    CHECK(h.function.seen().WaitEnded("duplex-0"));
  }

  SUBCASE("bidirectional: messages without a response are skipped, the stream goes on") {
    grpc::ClientContext context;
    Bound(context);
    auto chat = h.streams->Chat(&context);
    REQUIRE(chat->Write(Say("quiet-1", "silent")));
    REQUIRE(chat->Write(Say("quiet-2", "silent")));
    CHECK(Exchange(*chat, Say("quiet-3")) == "chat:quiet-3");
    status = Close(*chat);
    REQUIRE_MESSAGE(status.ok(), Describe(status));
  }
}

TEST_CASE("request headers reach the function; the first reply's metadata become response headers") {
  Harness h;

  SUBCASE("bidirectional") {
    grpc::ClientContext context;
    Bound(context);
    context.AddMetadata("x-client", "duplex-caller");
    auto chat = h.streams->Chat(&context);
    // The stream's headers go with the first command; each message's own metadata is empty.
    CHECK(Exchange(*chat, Say("h-1", "client-header")) == "duplex-caller|0");
    CHECK(InitialHeader(context, "x-reply").empty());  // that first reply had no metadata
    CHECK(Exchange(*chat, Say("h-2", "header")) == "chat:h-2");
    CHECK(InitialHeader(context, "x-reply").empty());  // only the first reply's count
    REQUIRE(Close(*chat).ok());
  }

  SUBCASE("bidirectional, the first reply with metadata") {
    grpc::ClientContext context;
    Bound(context);
    auto chat = h.streams->Chat(&context);
    CHECK(Exchange(*chat, Say("first", "header")) == "chat:first");
    CHECK(Exchange(*chat, Say("second", "header")) == "chat:second");
    REQUIRE(Close(*chat).ok());
    CHECK(InitialHeader(context, "x-reply") == "first");
  }

  SUBCASE("server streaming: the single command carries the headers") {
    grpc::ClientContext context;
    Bound(context);
    context.AddMetadata("x-client", "expand-caller");
    std::vector<std::string> replies;
    grpc::Status status = h.Expand(Say("e", "client-header", 2), &replies, &context);
    REQUIRE_MESSAGE(status.ok(), Describe(status));
    REQUIRE(replies.size() == 2);
    CHECK(replies[0].rfind("expand-caller|", 0) == 0);
    CHECK(replies[0] != "expand-caller|0");
  }

  SUBCASE("server streaming: headers from the first reply") {
    grpc::ClientContext context;
    Bound(context);
    std::vector<std::string> replies;
    grpc::Status status = h.Expand(Say("m", "header", 3), &replies, &context);
    REQUIRE_MESSAGE(status.ok(), Describe(status));
    CHECK(replies.size() == 3);
    CHECK(InitialHeader(context, "x-reply") == "m-0");
  }

  SUBCASE("client streaming") {
    grpc::ClientContext context;
    Bound(context);
    st::Said said;
    grpc::Status status = h.Collect({Say("c-1"), Say("c-2")}, &said, &context);
    REQUIRE_MESSAGE(status.ok(), Describe(status));
    CHECK(InitialHeader(context, "x-count") == "2");
  }
}

TEST_CASE("forwards from streamed actions are answered by their target; side effects run") {
  Harness h;

  SUBCASE("bidirectional") {
    grpc::ClientContext context;
    Bound(context);
    auto chat = h.streams->Chat(&context);
    CHECK(Exchange(*chat, Say("f-1", "forward")) == "echo:chat:f-1");
    CHECK(Exchange(*chat, Say("plain")) == "chat:plain");
    // A synchronous side effect is done before its reply is released.
    CHECK(Exchange(*chat, Say("effect-1", "effect")) == "chat:effect-1");
    auto recorded = h.function.seen().Recorded();
    CHECK(std::find(recorded.begin(), recorded.end(), "effect-1") != recorded.end());
    CHECK(Exchange(*chat, Say("effect-2", "async-effect")) == "chat:effect-2");
    CHECK(h.function.seen().WaitRecorded("effect-2"));
    CHECK(Exchange(*chat, Say("f-2", "forward")) == "echo:chat:f-2");
    REQUIRE(Close(*chat).ok());
  }

  SUBCASE("server streaming: every response forwarded, in order") {
    grpc::ClientContext context;
    Bound(context);
    std::vector<std::string> replies;
    grpc::Status status = h.Expand(Say("fw", "forward", 4), &replies, &context);
    REQUIRE_MESSAGE(status.ok(), Describe(status));
    CHECK(replies == std::vector<std::string>{"echo:fw-0", "echo:fw-1", "echo:fw-2", "echo:fw-3"});
  }

  SUBCASE("server streaming with side effects") {
    grpc::ClientContext context;
    Bound(context);
    std::vector<std::string> replies;
    grpc::Status status = h.Expand(Say("se", "effect", 2), &replies, &context);
    REQUIRE_MESSAGE(status.ok(), Describe(status));
    CHECK(replies == std::vector<std::string>{"se-0", "se-1"});
    auto recorded = h.function.seen().Recorded();
    CHECK(std::find(recorded.begin(), recorded.end(), "se-0") != recorded.end());
    CHECK(std::find(recorded.begin(), recorded.end(), "se-1") != recorded.end());
  }

  SUBCASE("client streaming") {
    grpc::ClientContext context;
    Bound(context);
    st::Said said;
    grpc::Status status = h.Collect({Say("x"), Say("y", "forward")}, &said, &context);
    REQUIRE_MESSAGE(status.ok(), Describe(status));
    CHECK(said.text() == "echo:x,y");
  }
}
