// Forwards: the caller gets the target's outcome (reply or failure), the forwarding entity's
// state change is persisted before the target sees the command, and forwards can chain.
#include "harness.h"

namespace cloudstate::testing {
namespace {

TEST_CASE("The caller gets the forward target's reply, after the forwarder's events are stored") {
  Harness harness;
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(5), {{"forward", "recorder/log/Note"}})), 1);
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(5), {{"forward", "recorder/log/Note"}})), 2);
  CHECK_EQ(harness.StoredEvents("counter", "c1"), (std::vector<int64_t>{5, 5}));

  EntityLog log = harness.probe->Log("recorder/log");
  REQUIRE_EQ(log.commands.size(), 2);
  CHECK_EQ(log.commands[0].name, "Note");
  CHECK_EQ(log.commands[0].Get("source"), "counter/c1");
  CHECK_EQ(log.commands[1].Get("source-sequence"), "2");
  CHECK(harness.probe->Violations().empty());  // the recorder found the events in the store
}

TEST_CASE("The caller gets the forward target's failure; the forwarder's events stay") {
  Harness harness;
  auto reply = harness.Ask("counter", "c1", "Add", Int64(5), {{"forward", "recorder/log/Refuse"}});
  CHECK_EQ(CodeOf(reply), StatusCode::kCommandFailed);
  CHECK_MESSAGE(MessageOf(reply).find("recorder refused") != std::string::npos, MessageOf(reply));
  CHECK_EQ(harness.StoredEvents("counter", "c1"), std::vector<int64_t>{5});
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Get", Int64(0))), 5);
}

TEST_CASE("A forward target that crashes gives Internal and restarts only the target") {
  Harness harness;
  CHECK_EQ(CodeOf(harness.Ask("counter", "c1", "Add", Int64(5), {{"forward", "recorder/log/Throw"}})),
           StatusCode::kInternal);
  CHECK(WaitUntil([&] { return harness.engine->Stats().restarts == 1; }));
  CHECK_EQ(harness.probe->Log("counter/c1").instances, 1);
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Get", Int64(0))), 5);
  CHECK_EQ(harness.probe->Log("counter/c1").instances, 1);
}

TEST_CASE("A forward to an unknown entity type gives NotFound and stores nothing") {
  Harness harness;
  CHECK_EQ(CodeOf(harness.Ask("counter", "c1", "Add", Int64(5), {{"forward", "nowhere/x/Note"}})),
           StatusCode::kNotFound);
  CHECK(harness.StoredEvents("counter", "c1").empty());
}

TEST_CASE("Forwards chain through several entities") {
  Harness harness;
  MetadataEntries chain = {{"forward", "counter/b/Add"}, {"forward", "counter/c/Add"}, {"forward", "recorder/log/Note"}};
  CHECK_EQ(IntOf(harness.Ask("counter", "a", "Add", Int64(3), chain)), 1);
  CHECK_EQ(IntOf(harness.Ask("counter", "a", "Add", Int64(3), chain)), 2);
  for (const char* id : {"a", "b", "c"}) {
    CAPTURE(id);
    CHECK_EQ(harness.StoredEvents("counter", id), (std::vector<int64_t>{3, 3}));
  }
  EntityLog last = harness.probe->Log("recorder/log");
  REQUIRE_EQ(last.commands.size(), 2);
  CHECK_EQ(last.commands[1].Get("source"), "counter/c");
  CHECK(harness.probe->Violations().empty());

  // A failure at the end of the chain travels all the way back.
  MetadataEntries failing = {{"forward", "counter/b/Add"}, {"forward", "recorder/log/Refuse"}};
  CHECK_EQ(CodeOf(harness.Ask("counter", "a", "Add", Int64(1), failing)), StatusCode::kCommandFailed);
}

TEST_CASE("A value entity forwards after its state is stored") {
  Harness harness;
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(9))), 9);
  auto reply = harness.Ask("register", "r1", "Set", Str("x"), {{"forward", "counter/c1/Get"}});
  CHECK_EQ(IntOf(reply), 9);
  auto stored = harness.engine->store().values().Read(EntityKey{"register", "r1"});
  REQUIRE(stored.ok());
  CHECK_EQ(stored->version, 1);
}

TEST_CASE("Two entities forwarding to each other's types at once do not deadlock") {
  Harness harness;
  std::vector<std::shared_ptr<Outcome>> outcomes;
  for (int i = 0; i < 20; ++i) {
    outcomes.push_back(SendAsync(*harness.engine,
                                 MakeCommand("counter", "x", "Add", Int64(1), {{"forward", "counter/y/Get"}})));
    outcomes.push_back(SendAsync(*harness.engine,
                                 MakeCommand("counter", "y", "Add", Int64(1), {{"forward", "counter/x/Get"}})));
  }
  for (auto& outcome : outcomes) {
    REQUIRE(outcome->Wait());
    CHECK_EQ(outcome->Code(), StatusCode::kOk);
  }
  CHECK_EQ(IntOf(harness.Ask("counter", "x", "Get", Int64(0))), 20);
  CHECK_EQ(IntOf(harness.Ask("counter", "y", "Get", Int64(0))), 20);
}

TEST_CASE("The forward target's reply metadata reaches the caller") {
  Harness harness;
  auto reply = harness.Ask("counter", "c1", "Add", Int64(5), {{"forward", "counter/c2/Echo"}});
  REQUIRE_MESSAGE(reply.ok(), reply.status().ToString());
  CHECK_EQ(IntOf(reply), 5);
  CHECK_EQ(reply->metadata, MetadataEntries{{"source", "counter/c1"}, {"source-sequence", "1"}, {"entity-id", "c2"},
                                     {"command-name", "Echo"}});
}

TEST_CASE("An entity can forward to itself") {
  Harness harness;
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(5), {{"forward", "counter/c1/Get"}})), 5);
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(5), {{"forward", "counter/c1/Add"}})), 15);
}

TEST_CASE("Forwards and synchronous side effects work on a single worker thread") {
  Harness harness(MemoryOptions(1));
  MetadataEntries chain = {{"side-effect", "recorder/log/Note/sync"}, {"forward", "counter/b/Add"},
                    {"forward", "recorder/log/Note"}};
  CHECK_EQ(IntOf(harness.Ask("counter", "a", "Add", Int64(1), chain)), 2);
  CHECK_EQ(harness.StoredEvents("counter", "b"), std::vector<int64_t>{1});
}

}  // namespace
}  // namespace cloudstate::testing
