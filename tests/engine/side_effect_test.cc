// Side effects: run only after the command's state change is stored, in the order they were
// added; a synchronous one completes before the reply, an asynchronous one is only started; a
// failing side effect does not fail the command, and a failed command runs none.
#include "harness.h"

namespace cloudstate::testing {
namespace {

std::vector<std::string> Names(const EntityLog& log) {
  std::vector<std::string> names;
  for (const auto& command : log.commands) names.push_back(command.name);
  return names;
}

TEST_CASE("A synchronous side effect completes before the reply is released") {
  Harness harness;
  Engine* engine = harness.engine.get();
  auto probe = harness.probe;
  auto recorded_at_reply = std::make_shared<std::atomic<int64_t>>(-1);
  auto outcome = SendAsync(
      *engine, MakeCommand("counter", "c1", "Add", Int64(5), {{"side-effect", "recorder/log/Note/sync"}}),
      [=](const Result<CommandReply>&) {
        // Completed means handled and its state stored.
        auto stored = engine->store().values().Read(EntityKey{"recorder", "log"});
        *recorded_at_reply = stored.ok() ? stored->version : -2;
      });
  REQUIRE(outcome->Wait());
  CHECK_EQ(IntOf(outcome->Get()), 5);  // the command's own reply, not the side effect's
  CHECK_EQ(recorded_at_reply->load(), 1);
  CHECK_EQ(Names(probe->Log("recorder/log")), std::vector<std::string>{"Note"});
  CHECK(probe->Violations().empty());  // it ran after the counter's event was stored
}

TEST_CASE("An asynchronous side effect eventually runs") {
  Harness harness;
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(5), {{"side-effect", "recorder/log/Note/async"}})), 5);
  CHECK(WaitUntil([&] { return harness.probe->Log("recorder/log").commands.size() == 1; }));
  CHECK(harness.probe->Violations().empty());
}

TEST_CASE("Side effects run in the order they were added") {
  Harness harness;
  SUBCASE("synchronous") {
    CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1),
                               {{"side-effect", "recorder/log/First/sync"},
                                {"side-effect", "recorder/log/Second/sync"},
                                {"side-effect", "recorder/log/Third/sync"}})),
             1);
    CHECK_EQ(Names(harness.probe->Log("recorder/log")), std::vector<std::string>{"First", "Second", "Third"});
  }
  SUBCASE("asynchronous") {
    CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1),
                               {{"side-effect", "recorder/log/First/async"},
                                {"side-effect", "recorder/log/Second/async"},
                                {"side-effect", "recorder/log/Third/async"}})),
             1);
    CHECK(WaitUntil([&] { return harness.probe->Log("recorder/log").commands.size() == 3; }));
    CHECK_EQ(Names(harness.probe->Log("recorder/log")), std::vector<std::string>{"First", "Second", "Third"});
  }
  CHECK(harness.probe->Violations().empty());
}

TEST_CASE("A failing side effect does not fail the command") {
  Harness harness;
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1), {{"side-effect", "recorder/log/Refuse/sync"}})), 1);
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1), {{"side-effect", "recorder/log/Throw/sync"}})), 2);
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1), {{"side-effect", "recorder/log/Refuse/async"}})), 3);
  CHECK_EQ(harness.StoredEvents("counter", "c1"), (std::vector<int64_t>{1, 1, 1}));
  // Later side effects still run.
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1),
                             {{"side-effect", "recorder/log/Refuse/sync"}, {"side-effect", "recorder/log/Note/sync"}})),
           4);
  CHECK_EQ(harness.probe->Log("recorder/log").commands.back().name, "Note");
}

TEST_CASE("A side effect to an unknown entity type fails the command before anything is stored") {
  // Targets are checked before the events are persisted, so the caller's NotFound is the truth:
  // the change did not happen (the reference proxy stored it and failed the call anyway).
  Harness harness;
  auto reply = harness.Ask("counter", "c1", "Add", Int64(1), {{"side-effect", "nowhere/x/Note/sync"}});
  CHECK_EQ(CodeOf(reply), StatusCode::kNotFound);
  CHECK(reply.status().message().find("nowhere") != std::string::npos);
  CHECK_EQ(CodeOf(harness.Ask("counter", "c1", "Add", Int64(1), {{"side-effect", "nowhere/x/Note/async"}})),
           StatusCode::kNotFound);
  CHECK(harness.StoredEvents("counter", "c1").empty());
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1))), 1);
  CHECK_EQ(CodeOf(harness.Ask("register", "r1", "Set", Str("x"), {{"side-effect", "nowhere/x/Note/sync"}})),
           StatusCode::kNotFound);
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Get", Str(""))), "<none>");
}

TEST_CASE("A failed or crashed command runs none of its side effects") {
  Harness harness;
  MetadataEntries effects = {{"side-effect", "recorder/log/Lost1/sync"}, {"side-effect", "recorder/log/Lost2/async"}};
  CHECK_EQ(CodeOf(harness.Ask("counter", "c1", "AddThenFail", Int64(1), effects)), StatusCode::kCommandFailed);
  CHECK_EQ(CodeOf(harness.Ask("counter", "c1", "AddThenThrow", Int64(1), effects)), StatusCode::kInternal);
  CHECK_EQ(CodeOf(harness.Ask("register", "r1", "SetThenFail", Str("x"), effects)), StatusCode::kCommandFailed);
  // A marker through the same path: anything wrongly started above would be there before it.
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1), {{"side-effect", "recorder/log/Marker/sync"}})), 1);
  CHECK_EQ(Names(harness.probe->Log("recorder/log")), std::vector<std::string>{"Marker"});
}

TEST_CASE("A value entity's side effects run after its state is stored") {
  Harness harness;
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Set", Str("x"), {{"side-effect", "counter/c1/Add/sync"}})), "x");
  // The counter got the register's payload, which is no Int64Value: it adds 0 and replies.
  EntityLog log = harness.probe->Log("counter/c1");
  REQUIRE_EQ(log.commands.size(), 1);
  CHECK_EQ(log.commands[0].Get("source"), "register/r1");
}

TEST_CASE("An entity can give itself a synchronous side effect") {
  Harness harness;
  // The side effect (Add 5 again) is queued behind the command that caused it and completes before
  // that command's reply is released.
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(5), {{"side-effect", "counter/c1/Add/sync"}})), 5);
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Get", Int64(0))), 10);
  CHECK_EQ(harness.StoredEvents("counter", "c1"), (std::vector<int64_t>{5, 5}));
}

}  // namespace
}  // namespace cloudstate::testing
