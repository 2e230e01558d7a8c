// The chat presence example behind our sidecar, over real loopback gRPC: a monitor sees a user go
// online with their first connection and offline only when their last one is cancelled; other
// users are untouched.
#include <doctest/doctest.h>

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "cloudstate/function_server.h"
#include "presence.grpc.pb.h"
#include "presence_function.h"
#include "proxy/sidecar.h"
#include "support/test_sidecar.h"

using com::example::chat::presence::OnlineStatus;
using com::example::chat::presence::Presence;
using com::example::chat::presence::User;
using namespace std::chrono_literals;

namespace {

User Named(const std::string& name) {
  User user;
  user.set_name(name);
  return user;
}

// The presence function and an in-process sidecar in front of it, on a memory store.
struct Harness {
  Harness() {
    cloudstate::FunctionServerOptions function_options;
    function_options.port = 0;
    function_options.log = [](cloudstate::LogLevel, const std::string&) {};
    function = std::make_unique<cloudstate::FunctionServer>(function_options);
    REQUIRE(chat_presence::AddPresence(*function).ok());
    REQUIRE(function->Start().ok());

    sidecar = cloudstate::testing::StartServingSidecar(cloudstate::testing::TestSidecarOptions(function->port()));
    channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(sidecar->port()), grpc::InsecureChannelCredentials());
  }

  std::unique_ptr<cloudstate::FunctionServer> function;
  std::unique_ptr<cloudstate::proxy::Sidecar> sidecar;
  std::shared_ptr<grpc::Channel> channel;
};

// An open Connect call; Close cancels it as a client that goes away does.
struct Connection {
  Connection(Harness& h, const std::string& user) : stub(Presence::NewStub(h.channel)) {
    context.set_deadline(std::chrono::system_clock::now() + 30s);
    reader = stub->Connect(&context, Named(user));
  }
  // Returns once the sidecar has taken the call (its headers came): alice's vote is in.
  void WaitAccepted() { reader->WaitForInitialMetadata(); }
  // The call's end after the cancel; Connect never sends a message.
  grpc::Status Close() {
    context.TryCancel();
    google::protobuf::Empty message;
    while (reader->Read(&message)) ++messages;
    return reader->Finish();
  }

  std::unique_ptr<Presence::Stub> stub;
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<google::protobuf::Empty>> reader;
  int messages = 0;
};

// A Monitor call read on a thread of its own, so the test can also check that nothing arrives.
struct Monitor {
  Monitor(Harness& h, const std::string& user) : stub(Presence::NewStub(h.channel)) {
    context.set_deadline(std::chrono::system_clock::now() + 30s);
    reader = stub->Monitor(&context, Named(user));
    thread = std::thread([this] {
      OnlineStatus status;
      while (reader->Read(&status)) {
        std::lock_guard lock(mu);
        received.push_back(status.online());
        cv.notify_all();
      }
    });
  }
  ~Monitor() {
    context.TryCancel();
    thread.join();
    reader->Finish();
  }
  // The next status, or nullopt when none came within `wait`.
  std::optional<bool> Next(std::chrono::milliseconds wait = 10s) {
    std::unique_lock lock(mu);
    if (!cv.wait_for(lock, wait, [this] { return !received.empty(); })) return std::nullopt;
    bool online = received.front();
    received.pop_front();
    return online;
  }

  std::unique_ptr<Presence::Stub> stub;
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<OnlineStatus>> reader;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<bool> received;
  std::thread thread;
};

}  // namespace

TEST_CASE("a user is online from the first connection until the last one goes away") {
  Harness h;
  Monitor alice(h, "alice");
  CHECK(alice.Next() == false);

  auto first = std::make_unique<Connection>(h, "alice");
  CHECK(alice.Next() == true);

  Connection second(h, "alice");
  // Else the first one's cancel may overtake it, and alice really is offline for a moment.
  second.WaitAccepted();
  CHECK(first->Close().error_code() == grpc::StatusCode::CANCELLED);
  CHECK(first->messages == 0);
  // Still online: a monitor that starts now says so, and the first one hears nothing new.
  Monitor late(h, "alice");
  CHECK(late.Next() == true);
  CHECK(alice.Next(300ms) == std::nullopt);

  CHECK(second.Close().error_code() == grpc::StatusCode::CANCELLED);
  CHECK(alice.Next() == false);
  CHECK(late.Next() == false);

  SUBCASE("and comes back with a new connection") {
    Connection again(h, "alice");
    CHECK(alice.Next() == true);
    CHECK(again.Close().error_code() == grpc::StatusCode::CANCELLED);
    CHECK(alice.Next() == false);
  }
}

TEST_CASE("users are independent") {
  Harness h;
  Monitor bob(h, "bob");
  CHECK(bob.Next() == false);
  Connection alice(h, "alice");
  Monitor alice_monitor(h, "alice");
  CHECK(alice_monitor.Next() == true);
  CHECK(bob.Next(300ms) == std::nullopt);
  CHECK(alice.Close().error_code() == grpc::StatusCode::CANCELLED);
}
