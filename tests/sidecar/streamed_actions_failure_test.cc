// Streamed action calls through the sidecar that end early: a failure mid-stream, a client that
// cancels, a function that breaks or ends the stream; each ends the call with a clear status.
#include <doctest/doctest.h>

#include "streamed_actions_harness.h"

using namespace streamed_actions;

TEST_CASE("a failure mid-stream ends the call with UNKNOWN and its description") {
  Harness h;

  SUBCASE("bidirectional: replies before it arrive, the function's call is cancelled") {
    grpc::ClientContext context;
    Bound(context);
    auto chat = h.streams->Chat(&context);
    CHECK(Exchange(*chat, Say("fails-later")) == "chat:fails-later");
    CHECK(Exchange(*chat, Say("ok-2")) == "chat:ok-2");
    REQUIRE(chat->Write(Say("bad", "fail-effect")));
    std::vector<std::string> rest;
    grpc::Status status = Drain(*chat, &rest);  // no half-close: only the sidecar can end the function's call
    CHECK(rest.empty());
    CHECK_MESSAGE(status.error_code() == grpc::StatusCode::UNKNOWN, Describe(status));
    CHECK(status.error_message() == "Chat failed at bad");
    // A failure keeps its side effects.
    CHECK(h.function.seen().WaitRecorded("bad"));
    CHECK(h.function.seen().WaitAbandoned("fails-later"));
  }

  SUBCASE("server streaming: after its replies") {
    grpc::ClientContext context;
    Bound(context);
    std::vector<std::string> replies;
    grpc::Status status = h.Expand(Say("ex", "fail", 2), &replies, &context);
    CHECK(replies == std::vector<std::string>{"ex-0", "ex-1"});
    CHECK_MESSAGE(status.error_code() == grpc::StatusCode::UNKNOWN, Describe(status));
    CHECK(status.error_message() == "Expand failed at ex");
  }

  SUBCASE("client streaming: answered at once") {
    grpc::ClientContext context;
    Bound(context);
    st::Said said;
    grpc::Status status = h.Collect({Say("c-ok"), Say("c-bad", "fail"), Say("c-late")}, &said, &context);
    CHECK_MESSAGE(status.error_code() == grpc::StatusCode::UNKNOWN, Describe(status));
    CHECK(status.error_message() == "Collect failed at c-bad");
  }

  st::Said said;
  grpc::Status after = h.Unary("after", &said);
  CHECK_MESSAGE(after.ok(), Describe(after));
}

TEST_CASE("a client that cancels mid-stream cancels the function's call") {
  Harness h;

  SUBCASE("bidirectional") {
    grpc::ClientContext context;
    Bound(context);
    auto chat = h.streams->Chat(&context);
    CHECK(Exchange(*chat, Say("cancel-duplex")) == "chat:cancel-duplex");
    CHECK(Exchange(*chat, Say("two")) == "chat:two");
    context.TryCancel();
    grpc::Status status = chat->Finish();
    CHECK_MESSAGE(status.error_code() == grpc::StatusCode::CANCELLED, Describe(status));
    CHECK(h.function.seen().WaitAbandoned("cancel-duplex"));
  }

  SUBCASE("client streaming") {
    grpc::ClientContext context;
    Bound(context);
    st::Said said;
    auto writer = h.streams->Collect(&context, &said);
    REQUIRE(writer->Write(Say("cancel-in")));
    REQUIRE(writer->Write(Say("two")));
    REQUIRE(h.function.seen().WaitStarted("cancel-in"));
    context.TryCancel();
    grpc::Status status = writer->Finish();
    CHECK_MESSAGE(status.error_code() == grpc::StatusCode::CANCELLED, Describe(status));
    CHECK(h.function.seen().WaitAbandoned("cancel-in"));
  }

  SUBCASE("server streaming, with far more replies waiting than the client reads") {
    grpc::ClientContext context;
    Bound(context);
    auto reader = h.streams->Expand(&context, Say("many", "", 20000));
    st::Said said;
    for (int i = 0; i < 3; ++i) {
      REQUIRE(reader->Read(&said));
      CHECK(said.text() == "many-" + std::to_string(i));
    }
    context.TryCancel();
    while (reader->Read(&said)) {
    }
    grpc::Status status = reader->Finish();
    CHECK_MESSAGE(status.error_code() == grpc::StatusCode::CANCELLED, Describe(status));
  }

  st::Said said;
  grpc::Status after = h.Unary("after", &said);
  CHECK_MESSAGE(after.ok(), Describe(after));
  CHECK(said.text() == "unary:after");
}

TEST_CASE("a function that breaks or ends the stream gives the client a clear status") {
  SUBCASE("the handler throws mid-stream") {
    Harness h;
    grpc::ClientContext context;
    Bound(context);
    auto chat = h.streams->Chat(&context);
    CHECK(Exchange(*chat, Say("crashes-later")) == "chat:crashes-later");
    REQUIRE(chat->Write(Say("boom", "crash")));
    grpc::Status status = Close(*chat);
    CHECK_MESSAGE(status.error_code() == grpc::StatusCode::UNKNOWN, Describe(status));
    CHECK_MESSAGE(Contains(status.error_message(), "Chat crashed at boom"), Describe(status));
    st::Said said;
    CHECK(h.Unary("after", &said).ok());
  }

  SUBCASE("the function goes away with streams open") {
    Harness h;
    grpc::ClientContext duplex_context;
    Bound(duplex_context);
    auto chat = h.streams->Chat(&duplex_context);
    CHECK(Exchange(*chat, Say("orphan")) == "chat:orphan");
    grpc::ClientContext in_context;
    Bound(in_context);
    st::Said said;
    auto writer = h.streams->Collect(&in_context, &said);
    REQUIRE(writer->Write(Say("orphan-in")));
    h.function.Shutdown();
    grpc::Status status = Close(*chat);
    CHECK_MESSAGE(!status.ok(), Describe(status));
    CHECK_MESSAGE(Contains(status.error_message(), "user function"), Describe(status));
    writer->WritesDone();
    status = writer->Finish();
    CHECK_MESSAGE(!status.ok(), Describe(status));
    CHECK_MESSAGE(Contains(status.error_message(), "user function"), Describe(status));
  }

  SUBCASE("no answer to a client-streaming call within the relay timeout") {
    Harness h(300ms);
    grpc::ClientContext context;
    Bound(context);
    st::Said said;
    grpc::Status status = h.Collect({Say("stalled", "stall")}, &said, &context);
    h.function.seen().Release();
    CHECK_MESSAGE(status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED, Describe(status));
    CHECK_MESSAGE(Contains(status.error_message(), "no response from the user function within 300 ms"),
                  Describe(status));
    CHECK(h.Unary("after", &said).ok());
  }
}
