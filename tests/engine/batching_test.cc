// Commands that queue up behind a busy entity (event-sourced or value) are handled one after another
// as before, but written with one write: each still sees the state the ones before it left, every
// reply still waits for the write, and a failure fails exactly the commands that saw lost events.
#include <vector>

#include "harness.h"
#include "support/fault_injecting_store.h"

namespace cloudstate::testing {
namespace {

// Sends `first` (a Block command) and waits until its handler is inside the gate, so every later
// command to the entity queues in its mailbox.
std::shared_ptr<Outcome> HoldEntity(Harness& harness, const std::string& id, int64_t block_amount,
                                    const std::string& type = "counter") {
  const int before = harness.probe->blocked.load();
  auto held = SendAsync(*harness.engine, MakeCommand(type, id, "Block", Int64(block_amount)));
  REQUIRE(WaitUntil([&] { return harness.probe->blocked.load() > before; }));
  return held;
}

std::vector<std::shared_ptr<Outcome>> Queue(Harness& harness, const std::string& id,
                                            const std::vector<std::pair<std::string, int64_t>>& commands,
                                            const std::string& type = "counter") {
  std::vector<std::shared_ptr<Outcome>> outcomes;
  for (const auto& [name, n] : commands) {
    outcomes.push_back(SendAsync(*harness.engine, MakeCommand(type, id, name, Int64(n))));
  }
  return outcomes;
}

std::vector<std::shared_ptr<Outcome>> QueueRegister(Harness& harness, const std::string& id,
                                                    const std::vector<std::pair<std::string, std::string>>& commands) {
  std::vector<std::shared_ptr<Outcome>> outcomes;
  for (const auto& [name, value] : commands) {
    outcomes.push_back(SendAsync(*harness.engine, MakeCommand("register", id, name, Str(value))));
  }
  return outcomes;
}

// A harness on the in-memory store behind a FaultInjectingStore, which *faults points at.
std::unique_ptr<Harness> FaultyHarness(FaultInjectingStore** faults) {
  StoreRegistry registry;
  RegisterMemoryStore(registry);
  StoreOptions memory;
  memory.kind = "memory";
  Result<std::unique_ptr<Store>> inner = registry.Open(memory);
  REQUIRE(inner.ok());
  auto wrapper = std::make_unique<FaultInjectingStore>(std::move(*inner));
  *faults = wrapper.get();
  return std::make_unique<Harness>(MemoryOptions(), std::move(wrapper));
}

void WaitAll(const std::vector<std::shared_ptr<Outcome>>& outcomes) {
  for (const auto& outcome : outcomes) REQUIRE(outcome->Wait());
}

TEST_CASE("Queued commands each see the ones before them, and are written together") {
  Harness harness;
  auto held = HoldEntity(harness, "c1", 1);
  auto queued = Queue(harness, "c1", {{"Add", 2}, {"Add", 3}, {"Get", 0}, {"AddOnes", 2}, {"Sequence", 0}});
  const uint64_t writes_before = harness.engine->Stats().journal_writes;
  harness.probe->gate.Open();
  REQUIRE(held->Wait());
  WaitAll(queued);

  CHECK_EQ(IntOf(held->Get()), 1);
  CHECK_EQ(IntOf(queued[0]->Get()), 3);
  CHECK_EQ(IntOf(queued[1]->Get()), 6);
  CHECK_EQ(IntOf(queued[2]->Get()), 6);
  CHECK_EQ(IntOf(queued[3]->Get()), 8);
  CHECK_EQ(IntOf(queued[4]->Get()), 5);  // sequence: 1 + 1 + 1 + 2
  // The held command's append, then one append for the five queued behind it.
  CHECK_EQ(harness.engine->Stats().journal_writes - writes_before, 2);
  CHECK_EQ(harness.StoredEvents("counter", "c1"), (std::vector<int64_t>{1, 2, 3, 1, 1}));
  CHECK(harness.probe->Violations().empty());
}

TEST_CASE("A command that breaks its entity ends the batch; the ones after it run on the reloaded state") {
  Harness harness;
  auto held = HoldEntity(harness, "c2", 1);
  auto queued = Queue(harness, "c2", {{"Add", 2}, {"AddThenThrow", 50}, {"Add", 3}, {"Get", 0}});
  harness.probe->gate.Open();
  REQUIRE(held->Wait());
  WaitAll(queued);

  CHECK_EQ(IntOf(queued[0]->Get()), 3);
  CHECK_EQ(queued[1]->Code(), StatusCode::kInternal);
  // The 50 was applied in memory only: the reload forgot it, and kept the Add 2 written before it.
  CHECK_EQ(IntOf(queued[2]->Get()), 6);
  CHECK_EQ(IntOf(queued[3]->Get()), 6);
  CHECK_EQ(harness.engine->Stats().restarts, 1);
  CHECK_EQ(harness.StoredEvents("counter", "c2"), (std::vector<int64_t>{1, 2, 3}));
  CHECK(harness.probe->Violations().empty());
}

TEST_CASE("A failed batch write fails every command that saw its events, and only those") {
  FaultInjectingStore* faults = nullptr;
  std::unique_ptr<Harness> owned = FaultyHarness(&faults);
  Harness& harness = *owned;
  FaultInjectingStore& store = *faults;
  CHECK_EQ(IntOf(harness.Ask("counter", "c3", "Add", Int64(1))), 1);

  auto held = HoldEntity(harness, "c3", 0);  // emits nothing: the batch's append is the next write
  auto queued = Queue(harness, "c3", {{"Get", 0}, {"Add", 2}, {"Get", 0}, {"Add", 3}});
  store.FailNextWrites(1, Status::Unavailable("disk full"));
  harness.probe->gate.Open();
  REQUIRE(held->Wait());
  WaitAll(queued);

  CHECK_EQ(IntOf(held->Get()), 1);
  CHECK_EQ(IntOf(queued[0]->Get()), 1);  // saw only stored events
  for (size_t i = 1; i < queued.size(); ++i) {
    CHECK_EQ(queued[i]->Code(), StatusCode::kUnavailable);
    CHECK(queued[i]->Get().status().message().find("disk full") != std::string::npos);
  }
  CHECK_EQ(harness.engine->Stats().restarts, 1);
  CHECK_EQ(IntOf(harness.Ask("counter", "c3", "Get", Int64(0))), 1);
  CHECK_EQ(IntOf(harness.Ask("counter", "c3", "Add", Int64(4))), 5);
  CHECK_EQ(harness.StoredEvents("counter", "c3"), (std::vector<int64_t>{1, 4}));
}

TEST_CASE("A batch that crosses the snapshot interval stores a snapshot of its last state") {
  EngineOptions options = MemoryOptions();
  options.snapshot_every = 4;
  Harness harness(options);
  auto held = HoldEntity(harness, "s1", 1, "snapcounter");
  auto queued = Queue(harness, "s1", {{"Add", 1}, {"Add", 1}, {"Add", 1}, {"Add", 1}}, "snapcounter");
  harness.probe->gate.Open();
  REQUIRE(held->Wait());
  WaitAll(queued);
  CHECK_EQ(IntOf(queued.back()->Get()), 5);

  // Sequences 2..5 were written together: the snapshot is of 5, not of 4 which no state ever was
  // at the end of a write.
  Result<std::optional<Snapshot>> snapshot = harness.engine->store().journal().LoadSnapshot({"snapcounter", "s1"});
  REQUIRE(snapshot.ok());
  REQUIRE(snapshot->has_value());
  CHECK_EQ((*snapshot)->sequence, 5);
  CHECK_EQ(Unpack<google::protobuf::Int64Value>((*snapshot)->state)->value(), 5);
  CHECK(harness.probe->Violations().empty());
}

TEST_CASE("Queued value-entity commands each see the state before them; the last state is written once") {
  Harness harness;
  const int before = harness.probe->blocked.load();
  auto held = SendAsync(*harness.engine, MakeCommand("register", "r1", "Block", Str("a")));
  REQUIRE(WaitUntil([&] { return harness.probe->blocked.load() > before; }));
  auto queued = QueueRegister(harness, "r1",
                              {{"Set", "b"}, {"Get", ""}, {"SetThenFail", "x"}, {"Get", ""}, {"Delete", ""},
                               {"Get", ""}, {"Set", "c"}});
  const uint64_t writes_before = harness.engine->Stats().journal_writes;
  harness.probe->gate.Open();
  REQUIRE(held->Wait());
  WaitAll(queued);

  CHECK_EQ(StrOf(held->Get()), "a");
  CHECK_EQ(StrOf(queued[0]->Get()), "b");
  CHECK_EQ(StrOf(queued[1]->Get()), "b");
  CHECK_EQ(queued[2]->Code(), StatusCode::kCommandFailed);  // its "x" was never anyone's state
  CHECK_EQ(StrOf(queued[3]->Get()), "b");
  CHECK_EQ(StrOf(queued[4]->Get()), "<none>");
  CHECK_EQ(StrOf(queued[5]->Get()), "<none>");
  CHECK_EQ(StrOf(queued[6]->Get()), "c");
  CHECK_EQ(harness.engine->Stats().journal_writes - writes_before, 2);
  Result<VersionedValue> stored = harness.engine->store().values().Read({"register", "r1"});
  REQUIRE(stored.ok());
  CHECK_EQ(stored->version, 2);
  REQUIRE(stored->value.has_value());
  CHECK_EQ(Unpack<google::protobuf::StringValue>(*stored->value)->value(), "c");
  CHECK(harness.probe->Violations().empty());
}

TEST_CASE("A failed value write fails the commands that saw its state; the entity reloads the stored one") {
  FaultInjectingStore* faults = nullptr;
  std::unique_ptr<Harness> owned = FaultyHarness(&faults);
  Harness& harness = *owned;
  FaultInjectingStore& store = *faults;

  // The first write is stored but its acknowledgement held: the commands behind it queue up.
  store.HoldAcknowledgements(true);
  auto first = SendAsync(*harness.engine, MakeCommand("register", "r2", "Set", Str("a")));
  REQUIRE(WaitUntil([&] { return store.HeldAcknowledgements() == 1; }));
  auto queued = QueueRegister(harness, "r2", {{"Get", ""}, {"Set", "b"}, {"Get", ""}});
  store.FailNextWrites(1, Status::Unavailable("disk full"));
  store.HoldAcknowledgements(false);
  REQUIRE(first->Wait());
  WaitAll(queued);

  CHECK_EQ(StrOf(first->Get()), "a");
  CHECK_EQ(StrOf(queued[0]->Get()), "a");
  CHECK_EQ(queued[1]->Code(), StatusCode::kUnavailable);
  CHECK_EQ(queued[2]->Code(), StatusCode::kUnavailable);
  CHECK(queued[2]->Get().status().message().find("disk full") != std::string::npos);
  CHECK_EQ(harness.engine->Stats().restarts, 1);
  CHECK_EQ(StrOf(harness.Ask("register", "r2", "Get", Str(""))), "a");
}

}  // namespace
}  // namespace cloudstate::testing
