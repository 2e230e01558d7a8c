// Snapshots: asked for every `snapshot_every` events, saved with the events of the command that
// crossed the mark, and used on activation so that only later events are replayed.
#include <stdexcept>

#include "harness.h"
#include "shared_store.h"

namespace cloudstate::testing {
namespace {

// The stored snapshot of type/id as (sequence, Int64 value); (0, 0) when there is none.
std::pair<int64_t, int64_t> StoredSnapshot(Engine& engine, const std::string& type, const std::string& id) {
  auto snapshot = engine.store().journal().LoadSnapshot(EntityKey{type, id});
  REQUIRE_MESSAGE(snapshot.ok(), snapshot.status().ToString());
  if (!snapshot->has_value()) return {0, 0};
  auto value = Unpack<google::protobuf::Int64Value>((*snapshot)->state);
  REQUIRE_MESSAGE(value.ok(), value.status().ToString());
  return {(*snapshot)->sequence, value->value()};
}

EngineOptions SnapshotEvery(int n) {
  EngineOptions options = MemoryOptions();
  options.snapshot_every = n;
  return options;
}

TEST_CASE("A snapshot is saved with the command that reaches every Nth event") {
  Harness harness(SnapshotEvery(3));
  int64_t total = 0;
  const std::vector<std::pair<int64_t, int64_t>> expected = {{0, 0}, {0, 0}, {3, 6}, {3, 6}, {3, 6}, {6, 21}, {6, 21}};
  for (int i = 1; i <= 7; ++i) {
    total += i;
    CHECK_EQ(IntOf(harness.Ask("snapcounter", "s1", "Add", Int64(i))), total);
    // Already there when the reply is: saved in the same unit as the events.
    CHECK_EQ(StoredSnapshot(*harness.engine, "snapcounter", "s1"), expected[i - 1]);
  }
  CHECK_EQ(harness.probe->Log("snapcounter/s1").snapshots_taken, 2);
  CHECK_EQ(harness.StoredEvents("snapcounter", "s1"), (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7}));
}

TEST_CASE("Activation loads the newest snapshot and replays only the events after it") {
  auto memory = NewMemoryStore();
  {
    Harness first(SnapshotEvery(3), std::make_unique<SharedStore>(memory));
    for (int i = 1; i <= 7; ++i) CHECK_EQ(CodeOf(first.Ask("snapcounter", "s1", "Add", Int64(i))), StatusCode::kOk);
  }
  Harness second(SnapshotEvery(3), std::make_unique<SharedStore>(memory));
  CHECK_EQ(IntOf(second.Ask("snapcounter", "s1", "Get", Int64(0))), 28);
  CHECK_EQ(IntOf(second.Ask("snapcounter", "s1", "Sequence", Int64(0))), 7);
  EntityLog log = second.probe->Log("snapcounter/s1");
  CHECK_EQ(log.snapshot_seqs, std::vector<int64_t>{6});
  CHECK_EQ(log.event_seqs, std::vector<int64_t>{7});

  // And the entity carries on from there.
  CHECK_EQ(IntOf(second.Ask("snapcounter", "s1", "Add", Int64(2))), 30);
  CHECK_EQ(StoredSnapshot(*second.engine, "snapcounter", "s1"), std::make_pair<int64_t, int64_t>(6, 21));
  CHECK_EQ(IntOf(second.Ask("snapcounter", "s1", "Add", Int64(1))), 31);
  CHECK_EQ(StoredSnapshot(*second.engine, "snapcounter", "s1"), std::make_pair<int64_t, int64_t>(9, 31));
  CHECK(second.probe->Violations().empty());
}

TEST_CASE("A command emitting several events snapshots the state after its last event") {
  Harness harness(SnapshotEvery(3));
  CHECK_EQ(IntOf(harness.Ask("snapcounter", "s1", "AddOnes", Int64(2))), 2);
  CHECK_EQ(StoredSnapshot(*harness.engine, "snapcounter", "s1"), std::make_pair<int64_t, int64_t>(0, 0));
  CHECK_EQ(IntOf(harness.Ask("snapcounter", "s1", "AddOnes", Int64(2))), 4);  // crosses 3
  CHECK_EQ(StoredSnapshot(*harness.engine, "snapcounter", "s1"), std::make_pair<int64_t, int64_t>(4, 4));
}

TEST_CASE("The default asks for a snapshot every 100 events") {
  Harness harness;
  CHECK_EQ(IntOf(harness.Ask("snapcounter", "s1", "AddOnes", Int64(99))), 99);
  CHECK_EQ(StoredSnapshot(*harness.engine, "snapcounter", "s1").first, 0);
  CHECK_EQ(IntOf(harness.Ask("snapcounter", "s1", "AddOnes", Int64(1))), 100);
  CHECK_EQ(StoredSnapshot(*harness.engine, "snapcounter", "s1"), std::make_pair<int64_t, int64_t>(100, 100));
}

TEST_CASE("snapshot_every 0 takes no snapshots; a per-type value overrides the engine's") {
  Harness harness(SnapshotEvery(0));
  EntityTypeOptions every_two;
  every_two.snapshot_every = 2;
  REQUIRE(harness.engine->RegisterEventSourced("snap2", CounterFactory(harness.probe, "snap2", true), every_two).ok());

  CHECK_EQ(IntOf(harness.Ask("snapcounter", "s1", "AddOnes", Int64(5))), 5);
  CHECK_EQ(StoredSnapshot(*harness.engine, "snapcounter", "s1").first, 0);
  CHECK_EQ(harness.probe->Log("snapcounter/s1").snapshots_taken, 0);

  CHECK_EQ(IntOf(harness.Ask("snap2", "s1", "Add", Int64(1))), 1);
  CHECK_EQ(StoredSnapshot(*harness.engine, "snap2", "s1").first, 0);
  CHECK_EQ(IntOf(harness.Ask("snap2", "s1", "Add", Int64(1))), 2);
  CHECK_EQ(StoredSnapshot(*harness.engine, "snap2", "s1"), std::make_pair<int64_t, int64_t>(2, 2));
}

TEST_CASE("A per-type snapshot_every of 0 turns snapshots off for that type only") {
  Harness harness(SnapshotEvery(2));
  EntityTypeOptions never;
  never.snapshot_every = 0;
  REQUIRE(harness.engine->RegisterEventSourced("nosnap", CounterFactory(harness.probe, "nosnap", true), never).ok());
  CHECK_EQ(IntOf(harness.Ask("nosnap", "n1", "AddOnes", Int64(4))), 4);
  CHECK_EQ(IntOf(harness.Ask("snapcounter", "s1", "AddOnes", Int64(4))), 4);
  CHECK_EQ(StoredSnapshot(*harness.engine, "nosnap", "n1").first, 0);
  CHECK_EQ(StoredSnapshot(*harness.engine, "snapcounter", "s1").first, 4);
}

TEST_CASE("An entity that declines snapshots is replayed from its first event") {
  auto memory = NewMemoryStore();
  {
    Harness first(SnapshotEvery(2), std::make_unique<SharedStore>(memory));
    CHECK_EQ(IntOf(first.Ask("counter", "c1", "AddOnes", Int64(5))), 5);  // counter's Snapshot() is nullopt
    CHECK_EQ(StoredSnapshot(*first.engine, "counter", "c1").first, 0);
    CHECK_GE(first.probe->Log("counter/c1").snapshots_taken, 1);
  }
  Harness second(SnapshotEvery(2), std::make_unique<SharedStore>(memory));
  CHECK_EQ(IntOf(second.Ask("counter", "c1", "Get", Int64(0))), 5);
  EntityLog log = second.probe->Log("counter/c1");
  CHECK(log.snapshot_seqs.empty());
  CHECK_EQ(log.event_seqs, (std::vector<int64_t>{1, 2, 3, 4, 5}));
}

TEST_CASE("A restart after a crash reloads from the snapshot too") {
  Harness harness(SnapshotEvery(3));
  for (int i = 1; i <= 4; ++i) CHECK_EQ(CodeOf(harness.Ask("snapcounter", "s1", "Add", Int64(1))), StatusCode::kOk);
  CHECK_EQ(CodeOf(harness.Ask("snapcounter", "s1", "AddThenThrow", Int64(1))), StatusCode::kInternal);
  CHECK_EQ(IntOf(harness.Ask("snapcounter", "s1", "Get", Int64(0))), 4);
  EntityLog log = harness.probe->Log("snapcounter/s1");
  CHECK_EQ(log.instances, 2);
  CHECK_EQ(log.snapshot_seqs, std::vector<int64_t>{3});
  // Emitted 1..5 (5 lost in the crash), then 4 replayed after the snapshot.
  CHECK_EQ(log.event_seqs, (std::vector<int64_t>{1, 2, 3, 4, 5, 4}));
}

// An entity whose Snapshot() throws; otherwise a plain counter.
class ThrowingSnapshot final : public EventSourcedEntity {
 public:
  explicit ThrowingSnapshot(std::atomic<int>& instances) { ++instances; }
  Status HandleEvent(const google::protobuf::Any& event, int64_t) override {
    auto value = Unpack<google::protobuf::Int64Value>(event);
    if (!value.ok()) return value.status();
    total_ += value->value();
    return Status::Ok();
  }
  void HandleCommand(const google::protobuf::Any& command, EventSourcedCommandContext& ctx) override {
    auto value = Unpack<google::protobuf::Int64Value>(command);
    if (value.ok() && value->value() != 0) ctx.Emit(*value);
    ctx.Reply(Int64(total_));
  }
  std::optional<google::protobuf::Any> Snapshot() override { throw std::runtime_error("snapshot exploded"); }

 private:
  int64_t total_ = 0;
};

TEST_CASE("A Snapshot() that throws restarts the entity; its events stay valid") {
  Harness harness(SnapshotEvery(2));
  auto instances = std::make_shared<std::atomic<int>>(0);
  REQUIRE(harness.engine
              ->RegisterEventSourced("fragile",
                                     [instances](const std::string&) {
                                       return std::make_unique<ThrowingSnapshot>(*instances);
                                     })
              .ok());
  CHECK_EQ(IntOf(harness.Ask("fragile", "f1", "Add", Int64(1))), 1);
  auto crossing = harness.Ask("fragile", "f1", "Add", Int64(1));  // asks for a snapshot
  MESSAGE("the command whose Snapshot() threw got " << (crossing.ok() ? "OK" : crossing.status().ToString()));
  // Whatever the command's outcome, the store and the entity must agree afterwards.
  int64_t stored = harness.Highest("fragile", "f1");
  CHECK_EQ(stored, crossing.ok() ? 2 : 1);
  CHECK_EQ(StoredSnapshot(*harness.engine, "fragile", "f1").first, 0);
  CHECK_EQ(IntOf(harness.Ask("fragile", "f1", "Add", Int64(0))), stored);
  // "Throwing from any method restarts the entity."
  CHECK(WaitUntil([&] { return harness.engine->Stats().restarts == 1; }, 2s));
  CHECK_EQ(instances->load(), 2);
}

}  // namespace
}  // namespace cloudstate::testing
