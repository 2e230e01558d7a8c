// Handlers that reject a command (Fail) or crash (throw, or an event handler that refuses): the
// caller gets CommandFailed or Internal, nothing of the command is persisted, and the entity
// carries on from its stored state; other entities are untouched.
#include "harness.h"

namespace cloudstate::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Checks a crash: Internal for the caller, one more restart, the entity rebuilt from its stored
// events (a new instance that replays them), and the command's events gone.
void CheckRestartedAfterCrash(Harness& harness, const Result<CommandReply>& reply, uint64_t restarts_before) {
  CHECK_EQ(CodeOf(reply), StatusCode::kInternal);
  CHECK_FALSE(MessageOf(reply).empty());
  CHECK(WaitUntil([&] { return harness.engine->Stats().restarts == restarts_before + 1; }));
  CHECK_EQ(harness.engine->Stats().restarts, restarts_before + 1);
  CHECK_EQ(harness.Highest("counter", "c1"), 2);
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Get", Int64(0))), 3);
  EntityLog log = harness.probe->Log("counter/c1");
  CHECK_EQ(log.instances, 2);
  // The new instance replayed exactly the stored events.
  REQUIRE_GE(log.event_seqs.size(), 2);
  CHECK_EQ(std::vector<int64_t>(log.event_seqs.end() - 2, log.event_seqs.end()), (std::vector<int64_t>{1, 2}));
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1))), 4);
  CHECK_EQ(harness.StoredEvents("counter", "c1"), (std::vector<int64_t>{1, 2, 1}));
  CHECK(harness.probe->Violations().empty());
}

struct Prepared {
  Harness harness;
  Prepared() {
    CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1))), 1);
    CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(2))), 3);
    CHECK_EQ(IntOf(harness.Ask("counter", "bystander", "Add", Int64(50))), 50);
  }
};

TEST_CASE("Fail rejects the command with its description and drops its events") {
  Prepared p;
  auto reply = p.harness.Ask("counter", "c1", "AddThenFail", Int64(5));
  CHECK_EQ(CodeOf(reply), StatusCode::kCommandFailed);
  CHECK_MESSAGE(Contains(MessageOf(reply), "rejected: 5"), MessageOf(reply));
  CHECK_EQ(p.harness.Highest("counter", "c1"), 2);
  // The event was applied in memory; the entity must not keep it.
  CHECK_EQ(IntOf(p.harness.Ask("counter", "c1", "Get", Int64(0))), 3);
  CHECK_EQ(IntOf(p.harness.Ask("counter", "c1", "Sequence", Int64(0))), 2);
  CHECK_EQ(IntOf(p.harness.Ask("counter", "c1", "Add", Int64(1))), 4);
  CHECK_EQ(p.harness.StoredEvents("counter", "c1"), (std::vector<int64_t>{1, 2, 1}));
  CHECK_EQ(IntOf(p.harness.Ask("counter", "bystander", "Get", Int64(0))), 50);
  CHECK(p.harness.probe->Violations().empty());
}

TEST_CASE("A handler throwing std::runtime_error gets Internal and restarts the entity") {
  Prepared p;
  auto reply = p.harness.Ask("counter", "c1", "AddThenThrow", Int64(5));
  CHECK_MESSAGE(Contains(MessageOf(reply), "handler exploded"), MessageOf(reply));
  CheckRestartedAfterCrash(p.harness, reply, 0);
  CHECK_EQ(p.harness.probe->Log("counter/bystander").instances, 1);
  CHECK_EQ(IntOf(p.harness.Ask("counter", "bystander", "Get", Int64(0))), 50);
}

TEST_CASE("A restart reloads the entity at once, not on its next command") {
  // The reference restarts the entity (a new stream that replays the journal) right after the
  // failure; a user function, and the TCK, see the replay without another command.
  Prepared p;
  auto reply = p.harness.Ask("counter", "c1", "AddThenThrow", Int64(5));
  CHECK_EQ(CodeOf(reply), StatusCode::kInternal);
  CHECK(WaitUntil([&] { return p.harness.probe->Log("counter/c1").instances == 2; }));
  EntityLog log = p.harness.probe->Log("counter/c1");
  CHECK_EQ(log.instances, 2);
  REQUIRE_GE(log.event_seqs.size(), 2);
  CHECK_EQ(std::vector<int64_t>(log.event_seqs.end() - 2, log.event_seqs.end()), (std::vector<int64_t>{1, 2}));
  CHECK_EQ(p.harness.engine->Stats().activations, 3);  // c1, bystander, c1 again
}

TEST_CASE("A handler throwing something that is not an exception gets Internal and restarts") {
  Prepared p;
  CheckRestartedAfterCrash(p.harness, p.harness.Ask("counter", "c1", "ThrowInt", Int64(5)), 0);
}

TEST_CASE("An event handler returning an error gets Internal and restarts the entity") {
  Prepared p;
  CheckRestartedAfterCrash(p.harness, p.harness.Ask("counter", "c1", "Add", Int64(kPoisonEvent)), 0);
}

TEST_CASE("An event handler that throws gets Internal and restarts the entity") {
  Prepared p;
  CheckRestartedAfterCrash(p.harness, p.harness.Ask("counter", "c1", "Add", Int64(kThrowingEvent)), 0);
}

TEST_CASE("Repeated crashes each restart the entity, and it keeps working") {
  Prepared p;
  for (int i = 1; i <= 3; ++i) {
    CHECK_EQ(CodeOf(p.harness.Ask("counter", "c1", "AddThenThrow", Int64(5))), StatusCode::kInternal);
    CHECK(WaitUntil([&] { return p.harness.engine->Stats().restarts == static_cast<uint64_t>(i); }));
    CHECK_EQ(IntOf(p.harness.Ask("counter", "c1", "Add", Int64(1))), 3 + i);
  }
  CHECK_EQ(p.harness.StoredEvents("counter", "c1"), (std::vector<int64_t>{1, 2, 1, 1, 1}));
}

TEST_CASE("A value entity's Fail writes nothing") {
  Harness harness;
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Set", Str("kept"))), "kept");
  auto reply = harness.Ask("register", "r1", "SetThenFail", Str("lost"));
  CHECK_EQ(CodeOf(reply), StatusCode::kCommandFailed);
  CHECK_MESSAGE(Contains(MessageOf(reply), "refused to set lost"), MessageOf(reply));
  auto stored = harness.engine->store().values().Read(EntityKey{"register", "r1"});
  REQUIRE(stored.ok());
  CHECK_EQ(stored->version, 1);
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Get", Str(""))), "kept");

  // Also for an entity with nothing stored yet.
  CHECK_EQ(CodeOf(harness.Ask("register", "fresh", "SetThenFail", Str("x"))), StatusCode::kCommandFailed);
  auto fresh = harness.engine->store().values().Read(EntityKey{"register", "fresh"});
  REQUIRE(fresh.ok());
  CHECK_EQ(fresh->version, 0);
  CHECK_EQ(StrOf(harness.Ask("register", "fresh", "Get", Str(""))), "<none>");
}

TEST_CASE("A value entity that throws gets Internal, writes nothing and is restarted") {
  Harness harness;
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Set", Str("kept"))), "kept");
  auto reply = harness.Ask("register", "r1", "SetThenThrow", Str("lost"));
  CHECK_EQ(CodeOf(reply), StatusCode::kInternal);
  CHECK_MESSAGE(Contains(MessageOf(reply), "register exploded"), MessageOf(reply));
  CHECK(WaitUntil([&] { return harness.engine->Stats().restarts == 1; }));
  auto stored = harness.engine->store().values().Read(EntityKey{"register", "r1"});
  REQUIRE(stored.ok());
  CHECK_EQ(stored->version, 1);
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Get", Str(""))), "kept");
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Set", Str("next"))), "next");
}

TEST_CASE("An event handler that throws restarts the entity even when the command handler swallows it") {
  // "Throwing from any method restarts the entity": the engine must notice at Emit, not rely on the
  // exception reaching it.
  Prepared p;
  auto reply = p.harness.Ask("counter", "c1", "EmitSwallowing", Int64(kThrowingEvent));
  CHECK_EQ(CodeOf(reply), StatusCode::kInternal);
  CHECK(WaitUntil([&] { return p.harness.engine->Stats().restarts == 1; }, 2s));
  CHECK_EQ(p.harness.Highest("counter", "c1"), 2);
  CHECK_EQ(IntOf(p.harness.Ask("counter", "c1", "Add", Int64(1))), 4);
}

TEST_CASE("An event handler's refusal restarts the entity even when the command handler goes on") {
  Prepared p;
  CheckRestartedAfterCrash(p.harness, p.harness.Ask("counter", "c1", "EmitSwallowing", Int64(kPoisonEvent)), 0);
}

}  // namespace
}  // namespace cloudstate::testing
