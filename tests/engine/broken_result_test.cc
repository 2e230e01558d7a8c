// Handlers that break the CommandContext contract (two of CommandReply/Fail/Forward, an event without a
// type URL): the caller gets Internal, nothing is persisted, the entity is restarted and works on.
#include "harness.h"

namespace cloudstate::testing {
namespace {

void CheckBroken(const std::string& command) {
  Harness harness;
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1))), 1);

  auto reply = harness.Ask("counter", "c1", command, Int64(5));
  CHECK_EQ(CodeOf(reply), StatusCode::kInternal);
  CHECK_FALSE(MessageOf(reply).empty());
  MESSAGE(command << " -> " << MessageOf(reply));
  CHECK(WaitUntil([&] { return harness.engine->Stats().restarts == 1; }));
  CHECK_EQ(harness.StoredEvents("counter", "c1"), std::vector<int64_t>{1});
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Get", Int64(0))), 1);
  CHECK_EQ(harness.probe->Log("counter/c1").instances, 2);
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(2))), 3);
  // A broken result forwards nothing.
  CHECK_EQ(harness.probe->Log("counter/elsewhere").instances, 0);
}

TEST_CASE("CommandReply twice is a broken result") { CheckBroken("ReplyTwice"); }
TEST_CASE("CommandReply and Fail is a broken result") { CheckBroken("ReplyAndFail"); }
TEST_CASE("CommandReply and Forward is a broken result") { CheckBroken("ReplyAndForward"); }
TEST_CASE("Emitting an Any without type URL is a broken result") { CheckBroken("EmitEmptyTypeUrl"); }

TEST_CASE("A value entity replying twice is a broken result") {
  Harness harness;
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Set", Str("kept"))), "kept");
  CHECK_EQ(CodeOf(harness.Ask("register", "r1", "ReplyTwice", Str("lost"))), StatusCode::kInternal);
  CHECK(WaitUntil([&] { return harness.engine->Stats().restarts == 1; }));
  auto stored = harness.engine->store().values().Read(EntityKey{"register", "r1"});
  REQUIRE(stored.ok());
  CHECK_EQ(stored->version, 1);
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Get", Str(""))), "kept");
}

TEST_CASE("A value entity storing an Any without type URL is a broken result") {
  Harness harness;
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Set", Str("kept"))), "kept");
  CHECK_EQ(CodeOf(harness.Ask("register", "r1", "SetEmptyTypeUrl", Str(""))), StatusCode::kInternal);
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Get", Str(""))), "kept");
  auto stored = harness.engine->store().values().Read(EntityKey{"register", "r1"});
  REQUIRE(stored.ok());
  CHECK_EQ(stored->version, 1);
}

}  // namespace
}  // namespace cloudstate::testing
