// Streamed action calls through the sidecar under load and at shutdown: many concurrent streams,
// some misbehaving, each get exactly their own replies; a shutdown with streams open ends them.
#include <doctest/doctest.h>

#include <thread>

#include "streamed_actions_harness.h"

using namespace streamed_actions;

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
