// Opening an engine, registering entity types, routing to unknown types, and the blocking
// SendAndWait convenience.
#include <thread>

#include "harness.h"
#include "shared_store.h"

namespace cloudstate::testing {
namespace {

TEST_CASE("Open refuses an unknown store kind") {
  EngineOptions options;
  options.store.kind = "no-such-store";
  auto engine = Engine::Open(options);
  REQUIRE_FALSE(engine.ok());
  CHECK_NE(engine.status().code(), StatusCode::kOk);
}

TEST_CASE("Open with a registry only knows the stores in it") {
  StoreRegistry registry;
  RegisterMemoryStore(registry);
  EngineOptions options = MemoryOptions();
  auto engine = Engine::Open(options, registry);
  REQUIRE_MESSAGE(engine.ok(), engine.status().ToString());

  options.store.kind = "sqlite";
  auto without_sqlite = Engine::Open(options, registry);
  CHECK_FALSE(without_sqlite.ok());
}

TEST_CASE("Open on a store the caller made uses that store") {
  auto memory = NewMemoryStore();
  {
    Harness harness(MemoryOptions(), std::make_unique<SharedStore>(memory));
    CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(5))), 5);
  }
  auto highest = memory->journal().HighestSequence(EntityKey{"counter", "c1"});
  REQUIRE(highest.ok());
  CHECK_EQ(*highest, 1);
}

TEST_CASE("Register refuses empty and duplicate names") {
  Harness harness;  // registers counter, snapcounter, register, recorder
  auto probe = harness.probe;
  Engine& engine = *harness.engine;

  CHECK_EQ(engine.RegisterEventSourced("", CounterFactory(probe, "")).code(), StatusCode::kInvalidArgument);
  CHECK_EQ(engine.RegisterValueEntity("", RegisterFactory(probe, "")).code(), StatusCode::kInvalidArgument);
  CHECK_EQ(engine.RegisterEventSourced("counter", CounterFactory(probe, "counter")).code(),
           StatusCode::kInvalidArgument);
  CHECK_EQ(engine.RegisterValueEntity("register", RegisterFactory(probe, "register")).code(),
           StatusCode::kInvalidArgument);
  // One namespace for both kinds.
  CHECK_EQ(engine.RegisterValueEntity("counter", RegisterFactory(probe, "counter")).code(),
           StatusCode::kInvalidArgument);
  CHECK_EQ(engine.RegisterEventSourced("register", CounterFactory(probe, "register")).code(),
           StatusCode::kInvalidArgument);

  // The originals still work after the refused attempts.
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(2))), 2);
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Set", Str("x"))), "x");
}

TEST_CASE("Register refuses invalid entity type options") {
  Harness harness;
  auto probe = harness.probe;
  Engine& engine = *harness.engine;

  EntityTypeOptions negative_snapshots;
  negative_snapshots.snapshot_every = -1;
  CHECK_EQ(engine.RegisterEventSourced("bad1", CounterFactory(probe, "bad1"), negative_snapshots).code(),
           StatusCode::kInvalidArgument);

  EntityTypeOptions negative_timeout;
  negative_timeout.passivation_timeout = std::chrono::milliseconds(-5);
  CHECK_EQ(engine.RegisterEventSourced("bad2", CounterFactory(probe, "bad2"), negative_timeout).code(),
           StatusCode::kInvalidArgument);

  // Two types must not share a persistence id: the first claims it, the second is refused,
  // whether it asks for it explicitly or gets it as its default (its own name).
  EntityTypeOptions shared;
  shared.persistence_id = "carts";
  CHECK(engine.RegisterEventSourced("cart-a", CounterFactory(probe, "cart-a"), shared).ok());
  CHECK_EQ(engine.RegisterEventSourced("cart-b", CounterFactory(probe, "cart-b"), shared).code(),
           StatusCode::kInvalidArgument);
  CHECK_EQ(engine.RegisterValueEntity("carts", RegisterFactory(probe, "carts")).code(),
           StatusCode::kInvalidArgument);
}

TEST_CASE("A custom persistence id is the key prefix in the store") {
  Harness harness;
  EntityTypeOptions options;
  options.persistence_id = "ledger-v2";
  REQUIRE(harness.engine->RegisterEventSourced("ledger", CounterFactory(harness.probe, "ledger"), options).ok());
  CHECK_EQ(IntOf(harness.Ask("ledger", "l1", "Add", Int64(7))), 7);
  CHECK_EQ(harness.StoredEvents("ledger-v2", "l1"), std::vector<int64_t>{7});
  CHECK_EQ(harness.Highest("ledger", "l1"), 0);
}

TEST_CASE("Send to an unknown entity type gets NotFound, once, on a worker thread") {
  Harness harness;
  auto outcome = SendAsync(*harness.engine, MakeCommand("nope", "x", "Get", Int64(0)));
  REQUIRE(outcome->Wait());
  CHECK_EQ(outcome->Code(), StatusCode::kNotFound);
  CHECK_MESSAGE(MessageOf(outcome->Get()).find("nope") != std::string::npos, MessageOf(outcome->Get()));
  CHECK_FALSE(outcome->RanOnThread(std::this_thread::get_id()));

  auto waited = harness.Ask("nope", "x", "Get", Int64(0));
  CHECK_EQ(CodeOf(waited), StatusCode::kNotFound);
  harness.engine.reset();
  CHECK_EQ(outcome->Calls(), 1);
}

TEST_CASE("SendAndWait returns the entity's reply") {
  Harness harness;
  auto reply = harness.Ask("counter", "c1", "Add", Int64(3));
  REQUIRE(reply.ok());
  REQUIRE(reply->payload.has_value());
  CHECK_EQ(IntOf(reply), 3);
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(4))), 7);
  CHECK_EQ(IntOf(harness.Ask("counter", "c2", "Get", Int64(0))), 0);
}

TEST_CASE("A handler that replies nothing gives a reply without payload") {
  Harness harness;
  auto reply = harness.Ask("counter", "c1", "Silent", Int64(4));
  REQUIRE_MESSAGE(reply.ok(), reply.status().ToString());
  CHECK_FALSE(reply->payload.has_value());
  // The events of a command without reply are still persisted.
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Get", Int64(0))), 4);
  CHECK_EQ(harness.StoredEvents("counter", "c1"), std::vector<int64_t>{4});
}

TEST_CASE("Stats count commands and journal writes") {
  Harness harness;
  for (int i = 1; i <= 3; ++i) CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1))), i);
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Get", Int64(0))), 3);  // writes nothing
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Set", Str("a"))), "a");
  CHECK(WaitUntil([&] { return harness.engine->Stats().commands == 5; }));
  EngineStats stats = harness.engine->Stats();
  CHECK_EQ(stats.commands, 5);
  CHECK_EQ(stats.journal_writes, 4);
  CHECK_EQ(stats.active_entities, 2);
  CHECK_EQ(stats.activations, 2);
  CHECK_EQ(stats.restarts, 0);
}

TEST_CASE("Open refuses invalid options") {
  EngineOptions negative_workers = MemoryOptions();
  negative_workers.worker_threads = -1;
  CHECK_EQ(Engine::Open(negative_workers).status().code(), StatusCode::kInvalidArgument);
  EngineOptions negative_snapshots = MemoryOptions();
  negative_snapshots.snapshot_every = -1;
  CHECK_EQ(Engine::Open(negative_snapshots).status().code(), StatusCode::kInvalidArgument);
}

TEST_CASE("Register refuses a missing factory") {
  Harness harness;
  CHECK_EQ(harness.engine->RegisterEventSourced("empty-es", nullptr).code(), StatusCode::kInvalidArgument);
  CHECK_EQ(harness.engine->RegisterValueEntity("empty-value", nullptr).code(), StatusCode::kInvalidArgument);
}

TEST_CASE("The handler sees the entity id and command name; reply metadata reaches the caller") {
  Harness harness;
  auto reply = harness.Ask("counter", "the-id", "Echo", Int64(42), {{"k", "v"}});
  REQUIRE_MESSAGE(reply.ok(), reply.status().ToString());
  CHECK_EQ(IntOf(reply), 42);
  CHECK_EQ(reply->metadata, MetadataEntries{{"k", "v"}, {"entity-id", "the-id"}, {"command-name", "Echo"}});
}

}  // namespace
}  // namespace cloudstate::testing
