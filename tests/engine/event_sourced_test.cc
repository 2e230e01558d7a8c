// Event-sourced entities: events apply at once, are persisted before the reply, and rebuild the
// entity (with their stored sequence numbers) when it comes back.
#include "harness.h"
#include "shared_store.h"

namespace cloudstate::testing {
namespace {

std::vector<int64_t> Range(int64_t from, int64_t to) {
  std::vector<int64_t> values;
  for (int64_t i = from; i <= to; ++i) values.push_back(i);
  return values;
}

TEST_CASE("Emit applies the event at once and advances the sequence") {
  Harness harness;
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Sequence", Int64(0))), 0);
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(5))), 5);  // the reply sees the event
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "AddOnes", Int64(3))), 8);
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Sequence", Int64(0))), 4);

  EntityLog log = harness.probe->Log("counter/c1");
  CHECK_EQ(log.instances, 1);
  CHECK_EQ(log.event_seqs, Range(1, 4));
  CHECK(harness.probe->Violations().empty());
}

TEST_CASE("Events are in the store when the reply arrives") {
  Harness harness;
  for (int i = 1; i <= 3; ++i) {
    auto seen = std::make_shared<std::atomic<int64_t>>(-1);
    Engine* engine = harness.engine.get();
    auto outcome = SendAsync(*engine, MakeCommand("counter", "c1", "AddOnes", Int64(2)), [=](const Result<CommandReply>&) {
      auto highest = engine->store().journal().HighestSequence(EntityKey{"counter", "c1"});
      *seen = highest.ok() ? *highest : -2;
    });
    REQUIRE(outcome->Wait());
    CHECK_EQ(CodeOf(outcome->Get()), StatusCode::kOk);
    CHECK_EQ(seen->load(), 2 * i);
  }
  CHECK_EQ(harness.StoredEvents("counter", "c1"), std::vector<int64_t>(6, 1));
}

TEST_CASE("The reply waits for the store to acknowledge the events") {
  auto faults = std::make_shared<StoreFaults>();
  Harness harness(MemoryOptions(), std::make_unique<SharedStore>(NewMemoryStore(), faults));
  faults->HoldWrites();

  auto outcome = SendAsync(*harness.engine, MakeCommand("counter", "c1", "Add", Int64(9)));
  REQUIRE(WaitUntil([&] { return faults->HeldWrites() == 1; }));
  // Held writes are unacknowledged: nothing may reach the caller yet. (A reply that raced ahead
  // would have had the time it took us to see the held write and run another entity's command.)
  CHECK_EQ(StrOf(harness.Ask("register", "other", "Get", Str(""))), "<none>");
  CHECK_FALSE(outcome->Done());

  faults->ReleaseWrites();
  REQUIRE(outcome->Wait());
  CHECK_EQ(IntOf(outcome->Get()), 9);
  CHECK_EQ(harness.StoredEvents("counter", "c1"), std::vector<int64_t>{9});
}

TEST_CASE("A command that emits nothing writes nothing") {
  Harness harness;
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1))), 1);
  CHECK(WaitUntil([&] { return harness.engine->Stats().journal_writes == 1; }));
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Get", Int64(0))), 1);
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(0))), 1);
  CHECK_EQ(harness.Highest("counter", "c1"), 1);
  CHECK_EQ(harness.engine->Stats().journal_writes, 1);
}

TEST_CASE("Entities of one type keep separate journals") {
  Harness harness;
  CHECK_EQ(IntOf(harness.Ask("counter", "a", "Add", Int64(1))), 1);
  CHECK_EQ(IntOf(harness.Ask("counter", "b", "Add", Int64(10))), 10);
  CHECK_EQ(IntOf(harness.Ask("counter", "a", "Add", Int64(2))), 3);
  CHECK_EQ(harness.StoredEvents("counter", "a"), std::vector<int64_t>{1, 2});
  CHECK_EQ(harness.StoredEvents("counter", "b"), std::vector<int64_t>{10});
  CHECK_EQ(harness.probe->Log("counter/a").event_seqs, Range(1, 2));
  CHECK_EQ(harness.probe->Log("counter/b").event_seqs, Range(1, 1));
}

TEST_CASE("The handler sees the command's name, metadata and a command id counting from 1") {
  Harness harness;
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "CommandId", Int64(0))), 1);
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1), {{"trace", "abc"}, {"trace", "def"}})), 1);
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "CommandId", Int64(0))), 3);

  EntityLog log = harness.probe->Log("counter/c1");
  REQUIRE_EQ(log.commands.size(), 3);
  CHECK_EQ(log.commands[1].name, "Add");
  CHECK_EQ(log.commands[1].command_id, 2);
  CHECK_EQ(log.commands[1].metadata, MetadataEntries{{"trace", "abc"}, {"trace", "def"}});
}

TEST_CASE("A new engine on the same store replays every event with its stored sequence") {
  auto memory = NewMemoryStore();
  {
    Harness first(MemoryOptions(), std::make_unique<SharedStore>(memory));
    for (int i = 1; i <= 5; ++i) CHECK_EQ(IntOf(first.Ask("counter", "c1", "Add", Int64(i))), i * (i + 1) / 2);
    CHECK_EQ(IntOf(first.Ask("counter", "c1", "CommandId", Int64(0))), 6);
  }
  Harness second(MemoryOptions(), std::make_unique<SharedStore>(memory));
  CHECK_EQ(IntOf(second.Ask("counter", "c1", "CommandId", Int64(0))), 1);  // a new activation
  CHECK_EQ(IntOf(second.Ask("counter", "c1", "Get", Int64(0))), 15);
  CHECK_EQ(IntOf(second.Ask("counter", "c1", "Add", Int64(100))), 115);

  EntityLog log = second.probe->Log("counter/c1");
  CHECK_EQ(log.instances, 1);
  CHECK(log.snapshot_seqs.empty());
  CHECK_EQ(log.event_seqs, Range(1, 6));  // 1..5 replayed, then 6 emitted
  CHECK_EQ(second.StoredEvents("counter", "c1"), (std::vector<int64_t>{1, 2, 3, 4, 5, 100}));
  CHECK(second.probe->Violations().empty());
}

}  // namespace
}  // namespace cloudstate::testing
