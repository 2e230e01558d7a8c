// The engine against a store that fails: write failures reach the caller promptly with a clear
// status and restart only the entity concerned; nothing is replied before the store acknowledges.
#include <doctest/doctest.h>
#include <google/protobuf/wrappers.pb.h>

#include <chrono>
#include <future>

#include "cloudstate/engine.h"
#include "support/fault_injecting_store.h"

namespace {

using cloudstate::Engine;
using cloudstate::MakeCommand;
using cloudstate::Status;
using cloudstate::StatusCode;
using cloudstate::testing::FaultInjectingStore;
using google::protobuf::Any;
using google::protobuf::Int64Value;

Int64Value Number(int64_t n) {
  Int64Value value;
  value.set_value(n);
  return value;
}

int64_t ReplyNumber(const cloudstate::Result<cloudstate::CommandReply>& reply) {
  REQUIRE_MESSAGE(reply.ok(), reply.status().ToString());
  REQUIRE(reply->payload.has_value());
  return cloudstate::Unpack<Int64Value>(*reply->payload)->value();
}

// "Add" emits its number as an event and replies with the new total; "Get" replies the total.
class Counter final : public cloudstate::EventSourcedEntity {
 public:
  Status HandleEvent(const Any& event, int64_t) override {
    total_ += cloudstate::Unpack<Int64Value>(event)->value();
    return Status::Ok();
  }
  void HandleCommand(const Any& command, cloudstate::EventSourcedCommandContext& context) override {
    if (context.CommandName() == "Add") context.Emit(*cloudstate::Unpack<Int64Value>(command));
    context.Reply(Number(total_));
  }

 private:
  int64_t total_ = 0;
};

// "Set" stores its number; "Get" replies the stored number, or -1 when there is none.
class Register final : public cloudstate::ValueEntity {
 public:
  void HandleCommand(const Any& command, cloudstate::ValueCommandContext& context) override {
    if (context.CommandName() == "Set") {
      context.UpdateState(command);
      context.Reply(command);
      return;
    }
    const Any* state = context.State();
    context.Reply(state ? *cloudstate::Unpack<Int64Value>(*state) : Number(-1));
  }
};

struct Fixture {
  Fixture() {
    cloudstate::StoreRegistry registry;
    cloudstate::RegisterMemoryStore(registry);
    cloudstate::StoreOptions memory;
    memory.kind = "memory";
    auto inner = registry.Open(memory);
    REQUIRE(inner.ok());
    auto wrapper = std::make_unique<FaultInjectingStore>(std::move(*inner));
    store = wrapper.get();
    cloudstate::EngineOptions options;
    options.worker_threads = 2;
    options.log = [](cloudstate::LogLevel, const std::string&) {};
    auto opened = Engine::Open(options, std::move(wrapper));
    REQUIRE(opened.ok());
    engine = std::move(*opened);
    REQUIRE(engine->RegisterEventSourced("counter", [](const std::string&) { return std::make_unique<Counter>(); }).ok());
    REQUIRE(engine->RegisterValueEntity("register", [](const std::string&) { return std::make_unique<Register>(); }).ok());
  }

  cloudstate::Result<cloudstate::CommandReply> Send(const std::string& type, const std::string& id, const std::string& name,
                                             int64_t n = 0) {
    return engine->SendAndWait(MakeCommand(type, id, name, Number(n)));
  }

  FaultInjectingStore* store;  // owned by the engine
  std::unique_ptr<Engine> engine;
};

}  // namespace

TEST_CASE("a failed journal append fails the command with the store's status and reloads the entity") {
  Fixture f;
  CHECK(ReplyNumber(f.Send("counter", "a", "Add", 5)) == 5);
  f.store->FailNextWrites(1, Status::Unavailable("disk full"));
  auto failed = f.Send("counter", "a", "Add", 7);
  REQUIRE(failed.status().code() == StatusCode::kUnavailable);
  CHECK(failed.status().message().find("disk full") != std::string::npos);
  CHECK(failed.status().message().find("counter/a") != std::string::npos);
  CHECK(f.engine->Stats().restarts == 1);
  // The event that was applied in memory but never stored is gone after the reload.
  CHECK(ReplyNumber(f.Send("counter", "a", "Get")) == 5);
  CHECK(ReplyNumber(f.Send("counter", "a", "Add", 1)) == 6);
}

TEST_CASE("a write failure of one entity leaves the others untouched") {
  Fixture f;
  CHECK(ReplyNumber(f.Send("counter", "b", "Add", 1)) == 1);
  f.store->FailNextWrites(1, Status::Corruption("bad sector"));
  CHECK(f.Send("counter", "a", "Add", 1).status().code() == StatusCode::kCorruption);
  CHECK(ReplyNumber(f.Send("counter", "b", "Add", 1)) == 2);
}

TEST_CASE("a failed value write fails the command and keeps the previous value") {
  Fixture f;
  CHECK(ReplyNumber(f.Send("register", "r", "Set", 3)) == 3);
  f.store->FailNextWrites(1, Status::Unavailable("store offline"));
  auto failed = f.Send("register", "r", "Set", 4);
  REQUIRE(failed.status().code() == StatusCode::kUnavailable);
  CHECK(failed.status().message().find("register/r") != std::string::npos);
  CHECK(ReplyNumber(f.Send("register", "r", "Get")) == 3);
}

TEST_CASE("an entity whose recovery fails reports it, and recovers once the store is back") {
  Fixture f;
  CHECK(ReplyNumber(f.Send("counter", "c", "Add", 2)) == 2);
  // Only activations read the store: a new entity hits the failure, a live one does not.
  f.store->FailReads(Status::Unavailable("replica unreachable"));
  auto failed = f.Send("counter", "fresh", "Get");
  REQUIRE(failed.status().code() == StatusCode::kUnavailable);
  CHECK(failed.status().message().find("replica unreachable") != std::string::npos);
  CHECK(f.Send("register", "fresh", "Get").status().code() == StatusCode::kUnavailable);
  // Entities already live keep serving.
  CHECK(ReplyNumber(f.Send("counter", "c", "Get")) == 2);
  f.store->FailReads(Status::Ok());
  CHECK(ReplyNumber(f.Send("counter", "fresh", "Add", 1)) == 1);
}

TEST_CASE("no reply is released before the store acknowledges the write") {
  Fixture f;
  f.store->HoldAcknowledgements(true);
  std::promise<cloudstate::Result<cloudstate::CommandReply>> first_reply;
  std::promise<cloudstate::Result<cloudstate::CommandReply>> second_reply;
  f.engine->Send(MakeCommand("counter", "d", "Add", Number(1)),
                 [&](cloudstate::Result<cloudstate::CommandReply> r) { first_reply.set_value(std::move(r)); });
  f.engine->Send(MakeCommand("counter", "d", "Add", Number(10)),
                 [&](cloudstate::Result<cloudstate::CommandReply> r) { second_reply.set_value(std::move(r)); });
  auto first = first_reply.get_future();
  auto second = second_reply.get_future();

  // Wait until the first append reached the store and is being held.
  for (int i = 0; i < 500 && f.store->HeldAcknowledgements() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  REQUIRE(f.store->HeldAcknowledgements() == 1);
  CHECK(first.wait_for(std::chrono::milliseconds(50)) == std::future_status::timeout);
  // The second command waits for the first one's write: one command at a time per entity.
  CHECK(f.store->writes_seen() == 1);
  CHECK(second.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout);

  f.store->HoldAcknowledgements(false);
  CHECK(ReplyNumber(first.get()) == 1);
  CHECK(ReplyNumber(second.get()) == 11);
}
