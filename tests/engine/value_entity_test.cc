// Value entities: no state at first, UpdateState/DeleteState visible at once and written (with a
// new version) before the reply, and the stored value is what the next activation sees.
#include "harness.h"
#include "shared_store.h"

namespace cloudstate::testing {
namespace {

VersionedValue Stored(Engine& engine, const std::string& id) {
  auto stored = engine.store().values().Read(EntityKey{"register", id});
  REQUIRE_MESSAGE(stored.ok(), stored.status().ToString());
  return *stored;
}

std::string StoredString(const VersionedValue& stored) {
  if (!stored.value) return "<none>";
  auto value = Unpack<google::protobuf::StringValue>(*stored.value);
  return value.ok() ? value->value() : "<not a StringValue>";
}

TEST_CASE("A new value entity has no state") {
  Harness harness;
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Get", Str(""))), "<none>");
  CHECK_EQ(Stored(*harness.engine, "r1").version, 0);  // reading writes nothing
}

TEST_CASE("UpdateState is visible in the same command and stored before the reply") {
  Harness harness;
  Engine* engine = harness.engine.get();
  for (int i = 1; i <= 3; ++i) {
    std::string text = std::to_string(i) + "th";  // ("v" + to_string trips a GCC 12 -Wrestrict false positive)
    auto seen = std::make_shared<VersionedValue>();
    auto outcome = SendAsync(*engine, MakeCommand("register", "r1", "Set", Str(text)), [=](const Result<CommandReply>&) {
      auto stored = engine->store().values().Read(EntityKey{"register", "r1"});
      if (stored.ok()) *seen = *stored;
    });
    REQUIRE(outcome->Wait());
    CHECK_EQ(StrOf(outcome->Get()), text);
    CHECK_EQ(seen->version, i);
    CHECK_EQ(StoredString(*seen), text);
  }
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Get", Str(""))), "3th");
  CHECK_EQ(Stored(*engine, "r1").version, 3);
}

TEST_CASE("The reply waits for the store to acknowledge the value") {
  auto faults = std::make_shared<StoreFaults>();
  Harness harness(MemoryOptions(), std::make_unique<SharedStore>(NewMemoryStore(), faults));
  faults->HoldWrites();
  auto outcome = SendAsync(*harness.engine, MakeCommand("register", "r1", "Set", Str("held")));
  REQUIRE(WaitUntil([&] { return faults->HeldWrites() == 1; }));
  CHECK_EQ(IntOf(harness.Ask("counter", "other", "Get", Int64(0))), 0);
  CHECK_FALSE(outcome->Done());
  faults->ReleaseWrites();
  REQUIRE(outcome->Wait());
  CHECK_EQ(StrOf(outcome->Get()), "held");
}

TEST_CASE("DeleteState removes the value; the version survives") {
  Harness harness;
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Set", Str("a"))), "a");
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Delete", Str(""))), "<none>");
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Get", Str(""))), "<none>");
  VersionedValue stored = Stored(*harness.engine, "r1");
  CHECK_EQ(stored.version, 2);
  CHECK_FALSE(stored.value.has_value());
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Set", Str("b"))), "b");
  CHECK_EQ(Stored(*harness.engine, "r1").version, 3);
}

TEST_CASE("Update then delete in one command stores the deletion") {
  Harness harness;
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Set", Str("a"))), "a");
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "SetThenDelete", Str("b"))), "<none>");
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Get", Str(""))), "<none>");
  CHECK_FALSE(Stored(*harness.engine, "r1").value.has_value());
}

TEST_CASE("A new engine on the same store sees stored and deleted values") {
  auto memory = NewMemoryStore();
  {
    Harness first(MemoryOptions(), std::make_unique<SharedStore>(memory));
    CHECK_EQ(StrOf(first.Ask("register", "kept", "Set", Str("here"))), "here");
    CHECK_EQ(StrOf(first.Ask("register", "gone", "Set", Str("soon gone"))), "soon gone");
    CHECK_EQ(StrOf(first.Ask("register", "gone", "Delete", Str(""))), "<none>");
  }
  Harness second(MemoryOptions(), std::make_unique<SharedStore>(memory));
  CHECK_EQ(StrOf(second.Ask("register", "kept", "Get", Str(""))), "here");
  CHECK_EQ(StrOf(second.Ask("register", "gone", "Get", Str(""))), "<none>");
  // Writing after the reopen continues from the stored version (no Conflict).
  CHECK_EQ(StrOf(second.Ask("register", "kept", "Set", Str("there"))), "there");
  CHECK_EQ(StrOf(second.Ask("register", "gone", "Set", Str("back"))), "back");
  CHECK_EQ(Stored(*second.engine, "kept").version, 2);
  CHECK_EQ(Stored(*second.engine, "gone").version, 3);
}

TEST_CASE("Value entities count commands from 1 per activation too") {
  Harness harness;
  CHECK_EQ(IntOf(harness.Ask("register", "r1", "CommandId", Str(""))), 1);
  CHECK_EQ(IntOf(harness.Ask("register", "r1", "CommandId", Str(""))), 2);
  CHECK_EQ(IntOf(harness.Ask("register", "r2", "CommandId", Str(""))), 1);
}

}  // namespace
}  // namespace cloudstate::testing
