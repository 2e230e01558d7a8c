// State survives the engine: destroyed and reopened on the same SQLite file or LevelDB directory,
// entities come back from the snapshot and events (or the stored value) the first engine wrote.
#include "harness.h"

namespace cloudstate::testing {
namespace {

EngineOptions DurableOptions(const std::string& kind, const TempDir& dir) {
  EngineOptions options;
  options.store.kind = kind;
  options.store.path = (dir.path() / (kind == "sqlite" ? "state.db" : "state")).string();
  options.worker_threads = 4;
  options.snapshot_every = 3;
  return options;
}

void WriteThenReopen(const std::string& kind) {
  TempDir dir;
  {
    Harness first(DurableOptions(kind, dir));
    for (int i = 1; i <= 7; ++i) CHECK_EQ(CodeOf(first.Ask("snapcounter", "s1", "Add", Int64(i))), StatusCode::kOk);
    for (int i = 1; i <= 2; ++i) CHECK_EQ(CodeOf(first.Ask("counter", "c1", "Add", Int64(10))), StatusCode::kOk);
    CHECK_EQ(StrOf(first.Ask("register", "r1", "Set", Str("hello"))), "hello");
    CHECK_EQ(StrOf(first.Ask("register", "r2", "Set", Str("short-lived"))), "short-lived");
    CHECK_EQ(StrOf(first.Ask("register", "r2", "Delete", Str(""))), "<none>");
  }

  Harness second(DurableOptions(kind, dir));
  CHECK_EQ(IntOf(second.Ask("snapcounter", "s1", "Get", Int64(0))), 28);
  CHECK_EQ(IntOf(second.Ask("counter", "c1", "Get", Int64(0))), 20);
  CHECK_EQ(StrOf(second.Ask("register", "r1", "Get", Str(""))), "hello");
  CHECK_EQ(StrOf(second.Ask("register", "r2", "Get", Str(""))), "<none>");

  // Activation used the newest snapshot and replayed only what came after it.
  EntityLog snap = second.probe->Log("snapcounter/s1");
  CHECK_EQ(snap.snapshot_seqs, std::vector<int64_t>{6});
  CHECK_EQ(snap.event_seqs, std::vector<int64_t>{7});
  EntityLog plain = second.probe->Log("counter/c1");
  CHECK(plain.snapshot_seqs.empty());
  CHECK_EQ(plain.event_seqs, (std::vector<int64_t>{1, 2}));

  // What the store itself holds.
  CHECK_EQ(second.StoredEvents("snapcounter", "s1"), (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7}));
  auto snapshot = second.engine->store().journal().LoadSnapshot(EntityKey{"snapcounter", "s1"});
  REQUIRE(snapshot.ok());
  REQUIRE(snapshot->has_value());
  CHECK_EQ((*snapshot)->sequence, 6);
  auto r1 = second.engine->store().values().Read(EntityKey{"register", "r1"});
  REQUIRE(r1.ok());
  CHECK_EQ(r1->version, 1);
  REQUIRE(r1->value.has_value());
  auto r2 = second.engine->store().values().Read(EntityKey{"register", "r2"});
  REQUIRE(r2.ok());
  CHECK_EQ(r2->version, 2);  // the delete was a write
  CHECK_FALSE(r2->value.has_value());
  CHECK(second.probe->Violations().empty());
}

void KeepWritingAcrossReopens(const std::string& kind) {
  TempDir dir;
  int64_t total = 0;
  for (int round = 0; round < 3; ++round) {
    Harness harness(DurableOptions(kind, dir));
    for (int i = 0; i < 4; ++i) {
      total += 1;
      CHECK_EQ(IntOf(harness.Ask("snapcounter", "s1", "Add", Int64(1))), total);
      CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1))), total);
    }
    CHECK_EQ(StrOf(harness.Ask("register", "r1", "Set", Str("round " + std::to_string(round)))),
             "round " + std::to_string(round));
    CHECK_EQ(harness.Highest("counter", "c1"), total);
  }
  Harness last(DurableOptions(kind, dir));
  CHECK_EQ(IntOf(last.Ask("counter", "c1", "Get", Int64(0))), 12);
  CHECK_EQ(IntOf(last.Ask("snapcounter", "s1", "Get", Int64(0))), 12);
  CHECK_EQ(StrOf(last.Ask("register", "r1", "Get", Str(""))), "round 2");
  auto r1 = last.engine->store().values().Read(EntityKey{"register", "r1"});
  REQUIRE(r1.ok());
  CHECK_EQ(r1->version, 3);
  CHECK_EQ(last.probe->Log("snapcounter/s1").snapshot_seqs, std::vector<int64_t>{12});
}

void ComeBackAfterPassivation(const std::string& kind) {
  TempDir dir;
  EngineOptions options = DurableOptions(kind, dir);
  options.passivation_timeout = 20ms;
  Harness harness(options);
  for (int i = 1; i <= 4; ++i) CHECK_EQ(IntOf(harness.Ask("snapcounter", "s1", "Add", Int64(i))), i * (i + 1) / 2);
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Set", Str("kept"))), "kept");
  // Two counters, read one after the other: wait for both to settle.
  REQUIRE(WaitUntil([&] {
    EngineStats stats = harness.engine->Stats();
    return stats.active_entities == 0 && stats.passivations >= 2;
  }));
  CHECK_EQ(IntOf(harness.Ask("snapcounter", "s1", "Get", Int64(0))), 10);
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Get", Str(""))), "kept");
  // The timeout is tiny, so it may also have been passivated between the Adds; the last activation
  // in any case loaded snapshot 3 and replayed event 4.
  EntityLog log = harness.probe->Log("snapcounter/s1");
  CHECK_GE(log.instances, 2);
  REQUIRE_FALSE(log.snapshot_seqs.empty());
  CHECK_EQ(log.snapshot_seqs.back(), 3);
  CHECK_EQ(log.event_seqs.back(), 4);
  CHECK(harness.probe->Violations().empty());
}

TEST_CASE("sqlite: state survives closing and reopening the engine") { WriteThenReopen("sqlite"); }
TEST_CASE("leveldb: state survives closing and reopening the engine") { WriteThenReopen("leveldb"); }
TEST_CASE("sqlite: writing continues where the previous engine stopped") { KeepWritingAcrossReopens("sqlite"); }
TEST_CASE("leveldb: writing continues where the previous engine stopped") { KeepWritingAcrossReopens("leveldb"); }
TEST_CASE("sqlite: a passivated entity comes back from the file") { ComeBackAfterPassivation("sqlite"); }
TEST_CASE("leveldb: a passivated entity comes back from the directory") { ComeBackAfterPassivation("leveldb"); }

}  // namespace
}  // namespace cloudstate::testing
