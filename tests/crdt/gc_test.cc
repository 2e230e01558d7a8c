// Garbage collection: after many add/remove cycles on several replicas, once everything has been
// delivered, the metadata left is one version-vector entry per replica plus one dot per live
// element; removed elements leave nothing behind.
#include <doctest/doctest.h>

#include "property.h"
#include "replica_network.h"

namespace cloudstate::replicated::testing {
namespace {

namespace pb = ::cloudstate::crdt;

TEST_CASE("ORSet metadata stays bounded after many add/remove cycles") {
  for (uint32_t seed : PropertySeeds(3)) {
    CAPTURE(seed);
    ReplicaNetwork net(CrdtType::kORSet, 3, seed);
    for (int cycle = 0; cycle < 2000; ++cycle) {
      int r = net.Pick(net.size());
      pb::CrdtDelta update;
      int element = net.Pick(50);
      if (net.Chance(50)) {
        *update.mutable_orset()->add_added() = Element(element);
      } else {
        *update.mutable_orset()->add_removed() = Element(element);
      }
      REQUIRE(net.replica(r).ApplyUpdate(update, 0).ok());
      net.Churn();
    }
    net.Settle();
    for (int i = 0; i < net.size(); ++i) {
      const Crdt& replica = net.replica(i);
      size_t live = replica.store().As<ORSetStore>().Size();
      CHECK(replica.context().cloud().empty());
      CHECK(replica.context().version_vector().size() <= 3);
      // Each live element holds one dot per replica that added it concurrently, at most.
      CHECK(replica.MetadataSize() <= 3 + 3 * live);
      CHECK(live <= 50);
    }
  }
}

TEST_CASE("ORMap metadata stays bounded after many key add/remove cycles") {
  ReplicaNetwork net(CrdtType::kORMap, 3, 7);
  for (int cycle = 0; cycle < 2000; ++cycle) {
    int r = net.Pick(net.size());
    pb::CrdtDelta update;
    int key = net.Pick(20);
    if (net.Chance(50)) {
      pb::ORMapEntryDelta* entry = update.mutable_ormap()->add_added();
      *entry->mutable_key() = Element(key);
      *entry->mutable_delta()->mutable_orset()->add_added() = Element(net.Pick(10));
    } else {
      *update.mutable_ormap()->add_removed() = Element(key);
    }
    REQUIRE(net.replica(r).ApplyUpdate(update, 0).ok());
    net.Churn();
  }
  net.Settle();
  for (int i = 0; i < net.size(); ++i) {
    const Crdt& replica = net.replica(i);
    CHECK(replica.context().cloud().empty());
    CHECK(replica.context().version_vector().size() <= 3);
    // Per live key: presence and value dots of at most three concurrent writers, 10 elements each.
    CHECK(replica.MetadataSize() <= 3 + replica.store().As<ORMapStore>().entries.size() * 3 * 11);
  }
}

TEST_CASE("a context gap closes when the missing delta arrives") {
  Crdt a(ReplicaId("a"), CrdtType::kGCounter), b(ReplicaId("b"), CrdtType::kGCounter);
  pb::CrdtDelta increment;
  increment.mutable_gcounter()->set_increment(1);
  std::vector<CrdtState> deltas;
  for (int i = 0; i < 3; ++i) {
    REQUIRE(a.ApplyUpdate(increment, 0).ok());
    deltas.push_back(a.TakeDelta());
  }
  REQUIRE(b.Merge(deltas[2]).ok());
  CHECK_FALSE(b.context().cloud().empty());
  REQUIRE(b.Merge(deltas[0]).ok());
  REQUIRE(b.Merge(deltas[1]).ok());
  CHECK(b.context().cloud().empty());
  CHECK(b.store().As<GCounterStore>().Value() == 3);
}

}  // namespace
}  // namespace cloudstate::replicated::testing
