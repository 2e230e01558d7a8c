// CRDT replication through the sidecar, over the protocol: the sidecar runs on a test replicator
// that stands for the other nodes. A write consistency the function asks for (MAJORITY, ALL)
// holds the client's reply until the replicator acknowledges it, and a replication failure
// reaches the client as the reference words it; another node's delta, delete and membership
// change reach the function's entity (and a caller subscribed to it) over its protocol stream.
#include <doctest/doctest.h>

#include <future>
#include <string>
#include <vector>

#include "crdt/crdt.h"
#include "crdt/state_codec.h"
#include "crdt_sidecar_harness.h"
#include "test_replicator.h"

using namespace crdt_sidecar;
using cloudstate::ReplicaConsistency;
using cloudstate::testing::TestReplicator;
using namespace std::chrono_literals;

namespace {

// The model function's persistence id (crdt_function.cc).
constexpr char kPersistenceId[] = "crdt-model";

// A GCounter delta of a replica named "node-b", encoded as a replicator carries it.
std::string RemoteIncrement(uint64_t by) {
  cloudstate::crdt::CrdtDelta update;
  update.mutable_gcounter()->set_increment(by);
  auto crdt = cloudstate::replicated::Crdt::FromUpdate(cloudstate::replicated::ReplicaId("node-b"), update, 0);
  return cloudstate::replicated::EncodeCrdtState(crdt->TakeDelta());
}

}  // namespace

TEST_CASE("the write consistency the function asks for holds the reply until it is met") {
  auto replicator = std::make_shared<TestReplicator>();
  Harness h(replicator);

  CHECK(h.Apply(Request("gcounter-l", "inc", "1")) == "1");  // LOCAL: acknowledged at once
  auto published = replicator->WaitForPublished(1);
  REQUIRE(published.size() == 1);
  CHECK(published[0].persistence_id == kPersistenceId);
  CHECK(published[0].entity_id == "gcounter-l");
  CHECK(published[0].consistency == ReplicaConsistency::kLocal);

  std::string value_after = "2";  // each write adds 2
  for (const auto& [asked, expected] : {std::pair{"majority", ReplicaConsistency::kMajority},
                                        std::pair{"all", ReplicaConsistency::kAll}}) {
    CAPTURE(asked);
    const size_t before = replicator->WaitForPublished(0).size();
    auto reply = std::async(std::launch::async, [&h, asked = std::string(asked)] {
      return h.Apply(Request("gcounter-m", "inc", "2", "", asked));
    });
    REQUIRE(replicator->WaitForHeld(1) == 1);
    CHECK(reply.wait_for(200ms) == std::future_status::timeout);  // not before the other nodes have it
    published = replicator->WaitForPublished(before + 1);
    CHECK(published.back().consistency == expected);
    CHECK(published.back().entity_id == "gcounter-m");
    replicator->Release();
    CHECK(reply.get() == value_after);  // the reply, not an error
    value_after = "4";
  }
  CHECK(h.Apply(Request("gcounter-m", "get")) == "4");
}

TEST_CASE("a write consistency that cannot be met fails the command") {
  auto replicator = std::make_shared<TestReplicator>();
  Harness h(replicator);
  auto reply = std::async(std::launch::async, [&h] { return h.Apply(Request("gcounter-f", "inc", "1", "", "all")); });
  REQUIRE(replicator->WaitForHeld(1) == 1);
  replicator->Release(cloudstate::Status::Unavailable("node-c is unreachable"));
  const std::string failed = reply.get();
  CHECK_MESSAGE(failed.find("Failed to update CRDT at requested write consistency") != std::string::npos, failed);
  // The entity serves on.
  CHECK(h.Apply(Request("gcounter-f", "inc", "1")) == "2");
}

TEST_CASE("another node's changes reach the function and its subscribers") {
  auto replicator = std::make_shared<TestReplicator>();
  Harness h(replicator);

  SUBCASE("a delta, to an active entity with a subscriber") {
    CHECK(h.Apply(Request("gcounter-r", "inc", "1")) == "1");
    Watcher watcher(h, Request("gcounter-r", "get"));
    REQUIRE(watcher.Next() == "1");
    replicator->Deliver(kPersistenceId, "gcounter-r", RemoteIncrement(3));
    CHECK(watcher.Next() == "4");  // the function got the delta on its stream and streamed the change
    CHECK(h.Apply(Request("gcounter-r", "inc", "1")) == "5");
  }
  SUBCASE("a delta, to an entity that is not active") {
    replicator->Deliver(kPersistenceId, "gcounter-cold", RemoteIncrement(7));
    CHECK(h.Apply(Request("gcounter-cold", "get")) == "7");
  }
  SUBCASE("a delete ends the subscriptions and the entity") {
    CHECK(h.Apply(Request("gcounter-d", "inc", "1")) == "1");
    Watcher watcher(h, Request("gcounter-d", "get"));
    REQUIRE(watcher.Next() == "1");
    replicator->DeliverDelete(kPersistenceId, "gcounter-d");
    std::vector<std::string> rest;
    grpc::Status ended = watcher.Drain(&rest);
    CHECK_MESSAGE(ended.ok(), Describe(ended));
    CHECK(rest.empty());
  }
  SUBCASE("members joining change a Vote's tally") {
    CHECK(h.Apply(Request("vote-m", "vote")) == "yes 1/1");
    replicator->SetMembers({"node-a", "node-b", "node-c"});
    CHECK(h.Apply(Request("vote-m", "get")) == "yes 1/3");
  }
}
