// Store failures reach the caller and leave the entity consistent with the store: a stale writer
// (someone else appended behind the entity's back) gets Conflict and reloads; a store error gets
// Unavailable; in both cases the next command works on what the store really holds.
#include "harness.h"
#include "shared_store.h"

namespace cloudstate::testing {
namespace {

TEST_CASE("An event-sourced entity overtaken by another writer gets Conflict and reloads") {
  Harness harness;
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1))), 1);

  JournalWrite external;
  external.key = EntityKey{"counter", "c1"};
  external.expected_sequence = 1;
  google::protobuf::Any event;
  event.PackFrom(Int64(100));
  external.events.push_back(event);
  REQUIRE(AppendAndWait(harness.engine->store().journal(), external).ok());

  CHECK_EQ(CodeOf(harness.Ask("counter", "c1", "Add", Int64(5))), StatusCode::kConflict);
  CHECK_EQ(harness.StoredEvents("counter", "c1"), (std::vector<int64_t>{1, 100}));
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Get", Int64(0))), 101);
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(5))), 106);
  CHECK_EQ(harness.StoredEvents("counter", "c1"), (std::vector<int64_t>{1, 100, 5}));
  CHECK(harness.probe->Violations().empty());
}

TEST_CASE("An entity activated before anything was stored also sees Conflict, then the other writer's events") {
  Harness harness;
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Get", Int64(0))), 0);
  JournalWrite external;
  external.key = EntityKey{"counter", "c1"};
  external.expected_sequence = 0;
  google::protobuf::Any event;
  event.PackFrom(Int64(7));
  external.events.push_back(event);
  REQUIRE(AppendAndWait(harness.engine->store().journal(), external).ok());

  CHECK_EQ(CodeOf(harness.Ask("counter", "c1", "Add", Int64(1))), StatusCode::kConflict);
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1))), 8);
}

TEST_CASE("A value entity overtaken by another writer gets Conflict and reloads") {
  Harness harness;
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Set", Str("mine"))), "mine");

  ValueWrite external;
  external.key = EntityKey{"register", "r1"};
  external.expected_version = 1;
  google::protobuf::Any value;
  value.PackFrom(Str("theirs"));
  external.value = value;
  REQUIRE(WriteAndWait(harness.engine->store().values(), external).ok());

  CHECK_EQ(CodeOf(harness.Ask("register", "r1", "Set", Str("again"))), StatusCode::kConflict);
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Get", Str(""))), "theirs");
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Set", Str("again"))), "again");
  auto stored = harness.engine->store().values().Read(EntityKey{"register", "r1"});
  REQUIRE(stored.ok());
  CHECK_EQ(stored->version, 3);
}

TEST_CASE("A failed journal append gets Unavailable and the entity forgets the event") {
  auto faults = std::make_shared<StoreFaults>();
  Harness harness(MemoryOptions(), std::make_unique<SharedStore>(NewMemoryStore(), faults));
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1))), 1);

  faults->FailAppends(1, Status::Unavailable("disk unplugged"));
  auto reply = harness.Ask("counter", "c1", "Add", Int64(5));
  CHECK_EQ(CodeOf(reply), StatusCode::kUnavailable);
  CHECK_MESSAGE(MessageOf(reply).find("disk unplugged") != std::string::npos, MessageOf(reply));
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Get", Int64(0))), 1);
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(2))), 3);
  CHECK_EQ(harness.StoredEvents("counter", "c1"), (std::vector<int64_t>{1, 2}));
  CHECK(harness.probe->Violations().empty());
}

TEST_CASE("A failed value write gets Unavailable and the entity keeps the stored value") {
  auto faults = std::make_shared<StoreFaults>();
  Harness harness(MemoryOptions(), std::make_unique<SharedStore>(NewMemoryStore(), faults));
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Set", Str("first"))), "first");

  faults->FailValueWrites(1, Status::Unavailable("disk unplugged"));
  CHECK_EQ(CodeOf(harness.Ask("register", "r1", "Set", Str("lost"))), StatusCode::kUnavailable);
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Get", Str(""))), "first");
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Set", Str("second"))), "second");
  auto stored = harness.engine->store().values().Read(EntityKey{"register", "r1"});
  REQUIRE(stored.ok());
  CHECK_EQ(stored->version, 2);
}

}  // namespace
}  // namespace cloudstate::testing
