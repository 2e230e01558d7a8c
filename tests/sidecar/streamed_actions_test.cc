// Streamed action calls through the sidecar, over real loopback gRPC: a C++ user function on our
// function server (streamed_function.h), the sidecar in-process, and a client on generated stubs.
// Every shape relays several messages each way; forwards, side effects, request headers and the
// first reply's metadata cross the sidecar as the protocol says; failures, cancellation from either
// side, many concurrent streams and a shutdown with streams open end every call with a clear status
// and leave the rest of the sidecar serving.
#include <doctest/doctest.h>

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "proxy/sidecar.h"
#include "streamed.grpc.pb.h"
#include "streamed_function.h"

namespace st = cloudstate::streamtest;
using cloudstate::proxy::Sidecar;
using cloudstate::proxy::SidecarOptions;
using namespace std::chrono_literals;

namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string Describe(const grpc::Status& status) {
  return std::to_string(status.error_code()) + " \"" + status.error_message() + "\"";
}

st::Say Say(const std::string& text, const std::string& op = "", int count = 0) {
  st::Say say;
  say.set_text(text);
  say.set_op(op);
  say.set_count(count);
  return say;
}

// Sets a deadline far enough that only a hung sidecar reaches it.
void Bound(grpc::ClientContext& context) { context.set_deadline(std::chrono::system_clock::now() + 20s); }

std::string InitialHeader(const grpc::ClientContext& context, const std::string& key) {
  std::string values;
  for (auto [it, end] = context.GetServerInitialMetadata().equal_range(key); it != end; ++it) {
    values += (values.empty() ? "" : ",") + std::string(it->second.data(), it->second.size());
  }
  return values;
}

// The function and an in-process sidecar in front of it, on a memory store.
struct Harness {
  explicit Harness(std::chrono::milliseconds relay_timeout = 20s) {
    REQUIRE(function.Start());
    SidecarOptions options;
    options.bind_address = "127.0.0.1";
    options.port = 0;
    options.user_function_port = function.port();
    options.store.kind = "memory";
    options.worker_threads = 2;
    options.relay_timeout = relay_timeout;
    options.backoff_min = 20ms;
    options.backoff_max = 200ms;
    options.log = [](cloudstate::LogLevel, const std::string&) {};  // the failures logged are the test's doing
    auto started = Sidecar::Start(std::move(options));
    REQUIRE_MESSAGE(started.ok(), started.status().ToString());
    sidecar = std::move(*started);
    cloudstate::Status ready = sidecar->WaitUntilReady(10s);
    REQUIRE_MESSAGE(ready.ok(), ready.ToString());
    channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(sidecar->port()), grpc::InsecureChannelCredentials());
    streams = st::Streams::NewStub(channel);
  }

  // A unary call, to show the sidecar still serves.
  grpc::Status Unary(const std::string& text, st::Said* said) {
    grpc::ClientContext context;
    Bound(context);
    return streams->Unary(&context, Say(text), said);
  }

  // Collect over `messages`; the reply in *said.
  grpc::Status Collect(const std::vector<st::Say>& messages, st::Said* said, grpc::ClientContext* context) {
    auto writer = streams->Collect(context, said);
    for (const auto& message : messages) {
      if (!writer->Write(message)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  // Expand: every reply, then the status.
  grpc::Status Expand(const st::Say& request, std::vector<std::string>* replies, grpc::ClientContext* context) {
    auto reader = streams->Expand(context, request);
    st::Said said;
    while (reader->Read(&said)) replies->push_back(said.text());
    return reader->Finish();
  }

  st::StreamedFunction function;
  std::unique_ptr<Sidecar> sidecar;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<st::Streams::Stub> streams;
};

using ChatStream = grpc::ClientReaderWriter<st::Say, st::Said>;

// Sends `say` and reads the reply it gets.
std::string Exchange(ChatStream& chat, const st::Say& say) {
  st::Said said;
  if (!chat.Write(say)) return "<write failed>";
  if (!chat.Read(&said)) return "<stream ended>";
  return said.text();
}

// Reads what is left, every remaining reply, then the status; the client's side stays open.
grpc::Status Drain(ChatStream& chat, std::vector<std::string>* rest = nullptr) {
  st::Said said;
  while (chat.Read(&said)) {
    if (rest) rest->push_back(said.text());
  }
  return chat.Finish();
}

// Half-closes, then drains.
grpc::Status Close(ChatStream& chat, std::vector<std::string>* rest = nullptr) {
  chat.WritesDone();
  return Drain(chat, rest);
}

}  // namespace

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

TEST_CASE("many concurrent streams, some misbehaving, each get exactly their own replies") {
  Harness h;
  constexpr int kStreams = 24;
  constexpr int kMessages = 8;
  std::vector<std::string> problems(kStreams);
  std::vector<std::thread> clients;
  for (int n = 0; n < kStreams; ++n) {
    clients.emplace_back([&, n] {
      const std::string tag = "s" + std::to_string(n) + "-";
      grpc::ClientContext context;
      Bound(context);
      switch (n % 4) {
        case 0: {  // a duplex conversation with forwards and side effects mixed in
          auto chat = h.streams->Chat(&context);
          for (int i = 0; i < kMessages; ++i) {
            std::string text = tag + std::to_string(i);
            std::string op = i % 3 == 1 ? "forward" : i % 3 == 2 ? "effect" : "";
            std::string expected = (op == "forward" ? "echo:chat:" : "chat:") + text;
            std::string got = Exchange(*chat, Say(text, op));
            if (got != expected) problems[n] = "expected " + expected + ", got " + got;
          }
          grpc::Status status = Close(*chat);
          if (!status.ok()) problems[n] = Describe(status);
          break;
        }
        case 1: {  // server streaming
          std::vector<std::string> replies;
          grpc::Status status = h.Expand(Say(tag, "", kMessages), &replies, &context);
          if (!status.ok() || replies.size() != kMessages || replies.back() != tag + "-" + std::to_string(kMessages - 1)) {
            problems[n] = "expand: " + Describe(status) + ", " + std::to_string(replies.size()) + " replies";
          }
          break;
        }
        case 2: {  // client streaming
          std::vector<st::Say> messages;
          std::string expected;
          for (int i = 0; i < kMessages; ++i) {
            messages.push_back(Say(tag + std::to_string(i)));
            expected += (i ? "," : "") + tag + std::to_string(i);
          }
          st::Said said;
          grpc::Status status = h.Collect(messages, &said, &context);
          if (!status.ok() || said.text() != expected) problems[n] = "collect: " + Describe(status) + " " + said.text();
          break;
        }
        case 3: {  // misbehaving: fails, crashes, or is cancelled by its client halfway
          auto chat = h.streams->Chat(&context);
          for (int i = 0; i < kMessages / 2; ++i) Exchange(*chat, Say(tag + std::to_string(i)));
          if (n % 8 == 3) {
            context.TryCancel();
            grpc::Status status = chat->Finish();
            if (status.error_code() != grpc::StatusCode::CANCELLED) problems[n] = "cancelled: " + Describe(status);
          } else {
            chat->Write(Say(tag + "end", n % 16 == 7 ? "crash" : "fail"));
            grpc::Status status = Close(*chat);
            if (status.error_code() != grpc::StatusCode::UNKNOWN) problems[n] = "failed: " + Describe(status);
          }
          break;
        }
      }
    });
  }
  for (auto& client : clients) client.join();
  for (int n = 0; n < kStreams; ++n) CHECK_MESSAGE(problems[n].empty(), "stream " << n << ": " << problems[n]);
  for (int n = 0; n < kStreams; n += 4) {
    CHECK(h.function.seen().WaitEnded("s" + std::to_string(n) + "-0"));
  }
}

TEST_CASE("shutdown with streams open ends them and lets every call to the function go") {
  Harness h;
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  auto next_context = [&] {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    Bound(*contexts.back());
    return contexts.back().get();
  };
  std::vector<std::unique_ptr<ChatStream>> chats;
  for (int i = 0; i < 4; ++i) {
    chats.push_back(h.streams->Chat(next_context()));
    std::string text = "open-" + std::to_string(i);
    CHECK(Exchange(*chats.back(), Say(text)) == "chat:" + text);
  }
  st::Said collected;
  auto collect = h.streams->Collect(next_context(), &collected);
  REQUIRE(collect->Write(Say("open-in")));
  REQUIRE(h.function.seen().WaitStarted("open-in"));
  auto expand = h.streams->Expand(next_context(), Say("open-out", "", 20000));
  st::Said said;
  REQUIRE(expand->Read(&said));

  h.sidecar->Shutdown(200ms);

  for (auto& chat : chats) {
    grpc::Status status = Close(*chat);
    CHECK_MESSAGE(!status.ok(), Describe(status));
  }
  collect->WritesDone();
  grpc::Status status = collect->Finish();
  CHECK_MESSAGE(!status.ok(), Describe(status));
  int expanded = 1;
  while (expand->Read(&said)) expanded++;
  status = expand->Finish();
  // The grace may be long enough for the client's buffers to take every reply: then it completed.
  CHECK_MESSAGE((!status.ok() || expanded == 20000), Describe(status) << " after " << expanded << " replies");
  // The function saw every stream end: none of its calls outlived the sidecar.
  for (int i = 0; i < 4; ++i) CHECK(h.function.seen().WaitAbandoned("open-" + std::to_string(i)));
  CHECK(h.function.seen().WaitAbandoned("open-in"));
}
