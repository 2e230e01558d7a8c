// CRDT entities in the engine, through the public API (RegisterCrdt, SendStreamed) with a test
// replicator: every CRDT kind, write consistencies, other nodes' deltas reaching streamed callers,
// cancellation, delete, and a restart on SQLite bringing the CRDT back.
#include <condition_variable>
#include <mutex>

#include <doctest/doctest.h>

#include "cloudstate/crdt_entity.h"
#include "crdt/crdt.h"
#include "crdt/state_codec.h"
#include "crdt_test_entity.h"
#include "engine/engine_extensions.h"
#include "test_replicator.h"
#include "test_util.h"

namespace cloudstate::testing {
namespace {

// Collects a stream's messages; waits on a condition variable, never sleeps.
struct Collector {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> messages;
  std::optional<Status> end;
  int accepted = 0;                  // on_accepted calls
  bool message_before_accepted = false;

  StreamCallbacks Callbacks() {
    StreamCallbacks callbacks;
    callbacks.on_accepted = [this](const MetadataEntries&) {
      std::lock_guard lock(mu);
      ++accepted;
    };
    callbacks.on_message = [this](CommandReply reply) {
      std::lock_guard lock(mu);
      if (accepted == 0) message_before_accepted = true;
      messages.push_back(TextOf(*reply.payload));
      cv.notify_all();
    };
    callbacks.on_end = [this](Status status) {
      std::lock_guard lock(mu);
      end = std::move(status);
      cv.notify_all();
    };
    return callbacks;
  }
  bool WaitMessages(size_t count) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, kDeadline, [&] { return messages.size() >= count; });
  }
  bool WaitEnd() {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, kDeadline, [&] { return end.has_value(); });
  }
};

struct Fixture {
  std::shared_ptr<TestReplicator> replicator = std::make_shared<TestReplicator>();
  std::unique_ptr<Engine> engine;
  std::atomic<int> notes{0};

  explicit Fixture(std::optional<StoreOptions> store = std::nullopt) {
    EngineOptions options;
    options.store.kind = "memory";
    if (store) options.store = std::move(*store);
    options.log = [](LogLevel, const std::string&) {};
    Result<std::unique_ptr<Engine>> opened = Engine::Open(std::move(options));
    REQUIRE(opened.ok());
    engine = std::move(*opened);
    ExtensionsOf(*engine).SetReplicator(replicator);
    REQUIRE(RegisterCrdt(*engine, "Crdt", NewCrdtTestEntity, {.persistence_id = "crdts"}).ok());
    REQUIRE(ExtensionsOf(*engine)
                .RegisterStateless("Log", [this](const EntityCommand&, OutcomeCallback done) {
                  notes++;
                  done(CommandOutcome{});
                })
                .ok());
  }

  std::string Send(const std::string& id, const std::string& name, const std::string& arg = "",
                   MetadataEntries metadata = {}) {
    Result<CommandReply> reply = engine->SendAndWait(EntityCommand{"Crdt", id, name, Text(arg), std::move(metadata)});
    if (!reply.ok()) return "error: " + reply.status().message();
    return reply->payload ? TextOf(*reply->payload) : "no reply";
  }
};

// Another node's change: a delta of a replica named "node-b", encoded as the replicator carries it.
std::string RemoteGCounter(uint64_t by) {
  ::cloudstate::crdt::CrdtDelta update;
  update.mutable_gcounter()->set_increment(by);
  auto crdt = replicated::Crdt::FromUpdate(replicated::ReplicaId("node-b"), update, 0);
  return replicated::EncodeCrdtState(crdt->TakeDelta());
}

TEST_CASE("every CRDT kind through an entity") {
  Fixture f;
  CHECK(f.Send("g", "get") == "none");
  CHECK(f.Send("g", "gc+", "5") == "GCounter 5");
  CHECK(f.Send("g", "gc+", "2") == "GCounter 7");
  CHECK(f.Send("p", "pn+", "-3") == "PNCounter -3");
  CHECK(f.Send("s", "gs+", "b") == "GSet {b}");
  CHECK(f.Send("s", "gs+", "a") == "GSet {a,b}");
  CHECK(f.Send("o", "os+", "x") == "ORSet {x}");
  CHECK(f.Send("o", "os+", "y") == "ORSet {x,y}");
  CHECK(f.Send("o", "os-", "x") == "ORSet {y}");
  CHECK(f.Send("o", "os0") == "ORSet {}");
  CHECK(f.Send("l", "lww", "one") == "LWWRegister one");
  CHECK(f.Send("l", "lww", "two") == "LWWRegister two");
  CHECK(f.Send("f", "flag") == "Flag on");
  CHECK(f.Send("m", "map+", "k") == "ORMap {k:GCounter 1}");
  CHECK(f.Send("m", "map+", "k") == "ORMap {k:GCounter 2}");
  CHECK(f.Send("m", "map+", "j") == "ORMap {j:GCounter 1,k:GCounter 2}");
  CHECK(f.Send("m", "map-", "k") == "ORMap {j:GCounter 1}");
  CHECK(f.Send("v", "vote", "true") == "Vote 1/1/1");
  CHECK(f.Send("v", "vote", "false") == "Vote 0/0/1");
  // A failed command keeps nothing of what it changed.
  CHECK(f.Send("g", "fail") == "error: refused");
  CHECK(f.Send("g", "get") == "GCounter 7");
  // Each change was published as a delta.
  auto published = f.replicator->WaitForPublished(1);
  CHECK(published.front().persistence_id == "crdts");
  CHECK(published.front().entity_id == "g");
}

TEST_CASE("write consistency: MAJORITY and ALL replies wait for the acknowledgements") {
  Fixture f;
  CHECK(f.Send("c", "gc+", "1") == "GCounter 1");
  std::promise<std::string> majority;
  f.engine->Send(EntityCommand{"Crdt", "c", "gc+", Text("2"), {{"wc", "majority"}}}, [&](Result<CommandReply> r) {
    majority.set_value(r.ok() ? TextOf(*r->payload) : r.status().message());
  });
  REQUIRE(f.replicator->WaitForHeld(1) == 1);
  auto future = majority.get_future();
  CHECK(future.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);  // held, not timed
  f.replicator->Release();
  CHECK(future.get() == "GCounter 3");
  auto published = f.replicator->WaitForPublished(2);
  CHECK(published[0].consistency == ReplicaConsistency::kLocal);
  CHECK(published[1].consistency == ReplicaConsistency::kMajority);

  std::promise<std::string> all;
  f.engine->Send(EntityCommand{"Crdt", "c", "gc+", Text("3"), {{"wc", "all"}}}, [&](Result<CommandReply> r) {
    all.set_value(r.ok() ? TextOf(*r->payload) : r.status().message());
  });
  REQUIRE(f.replicator->WaitForHeld(1) == 1);
  f.replicator->Release(Status::DeadlineExceeded("no quorum"));
  CHECK(all.get_future().get() == "Failed to update CRDT at requested write consistency");
  CHECK(f.replicator->WaitForPublished(3)[2].consistency == ReplicaConsistency::kAll);
}

TEST_CASE("deltas from other nodes reach the entity and its streamed callers") {
  Fixture f;
  CHECK(f.Send("w", "gc+", "1") == "GCounter 1");
  Collector watcher;
  auto stream = SendStreamed(*f.engine, EntityCommand{"Crdt", "w", "watch", Text("GCounter 6"), {}}, watcher.Callbacks());
  CHECK(f.Send("w", "gc+", "2") == "GCounter 3");  // the subscription is registered once this is through
  REQUIRE(watcher.WaitMessages(1));
  f.replicator->Deliver("crdts", "w", RemoteGCounter(3));
  REQUIRE(watcher.WaitMessages(2));
  REQUIRE(watcher.WaitEnd());
  CHECK(watcher.messages == std::vector<std::string>{"GCounter 3", "GCounter 6"});
  CHECK(watcher.end->ok());
  CHECK(watcher.accepted == 1);  // once, before the first message
  CHECK_FALSE(watcher.message_before_accepted);
  CHECK(f.Send("w", "get") == "GCounter 6");
}

TEST_CASE("a cancelled stream runs the cancel callback: its change and side effect") {
  Fixture f;
  Collector watcher;
  auto stream = SendStreamed(*f.engine, EntityCommand{"Crdt", "x", "watch", Text(""), {}}, watcher.Callbacks());
  CHECK(f.Send("x", "pn+", "5") == "PNCounter 5");
  REQUIRE(watcher.WaitMessages(1));
  CHECK(watcher.accepted == 1);  // the reply had no payload, yet the subscription was announced
  stream->Cancel();
  REQUIRE(watcher.WaitEnd());
  CHECK(watcher.end->code() == StatusCode::kUnavailable);
  REQUIRE(WaitUntil([&] { return f.notes.load() == 1; }));
  CHECK(f.Send("x", "get") == "PNCounter 4");
  CHECK(watcher.messages.size() == 1);  // nothing delivered after the cancel
}

TEST_CASE("delete ends open streams and the entity refuses commands until passivated") {
  Fixture f;
  CHECK(f.Send("d", "os+", "a") == "ORSet {a}");
  Collector watcher;
  auto stream = SendStreamed(*f.engine, EntityCommand{"Crdt", "d", "watch", Text(""), {}}, watcher.Callbacks());
  CHECK(f.Send("d", "del") == "none");
  REQUIRE(watcher.WaitEnd());
  CHECK(watcher.end->ok());
  CHECK(f.Send("d", "get") == "error: Entity deleted");
  auto published = f.replicator->WaitForPublished(2);
  CHECK(published.back().deleted);
}

TEST_CASE("a delete from another node reaches the entity") {
  Fixture f;
  CHECK(f.Send("r", "flag") == "Flag on");
  f.replicator->DeliverDelete("crdts", "r");
  REQUIRE(WaitUntil([&] { return f.Send("r", "get") == "error: Entity deleted"; }));
}

TEST_CASE("Vote tallies follow the members") {
  Fixture f;
  CHECK(f.Send("vt", "vote", "true") == "Vote 1/1/1");
  f.replicator->SetMembers({"node-a", "node-b", "node-c"});
  CHECK(f.Send("vt", "get") == "Vote 1/1/3");
}

TEST_CASE("a restarted engine on SQLite comes back with the CRDT") {
  TempDir dir;
  StoreOptions store;
  store.kind = "sqlite";
  store.path = (dir.path() / "crdt.db").string();
  {
    Fixture f(store);
    CHECK(f.Send("k", "map+", "a") == "ORMap {a:GCounter 1}");
    CHECK(f.Send("k", "map+", "a") == "ORMap {a:GCounter 2}");
    CHECK(f.Send("v", "vote", "true") == "Vote 1/1/1");
  }
  Fixture f(store);
  CHECK(f.Send("k", "get") == "ORMap {a:GCounter 2}");
  CHECK(f.Send("k", "map+", "b") == "ORMap {a:GCounter 2,b:GCounter 1}");
  CHECK(f.Send("v", "get") == "Vote 1/1/1");
}

TEST_CASE("a delta for an entity that is not live is kept for its next activation") {
  Fixture f;
  f.replicator->Deliver("crdts", "cold", RemoteGCounter(4));
  CHECK(f.Send("cold", "get") == "GCounter 4");
}

}  // namespace
}  // namespace cloudstate::testing
