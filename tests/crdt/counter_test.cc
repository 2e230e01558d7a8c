// GCounter and PNCounter: random increments on 3-5 replicas, deltas delivered out of order and
// twice, full states interleaved; every replica ends at the sum of all applied changes.
#include <doctest/doctest.h>

#include "property.h"
#include "replica_network.h"

namespace cloudstate::replicated::testing {
namespace {

namespace pb = ::cloudstate::crdt;

pb::CrdtDelta GCounterIncrement(uint64_t n) {
  pb::CrdtDelta delta;
  delta.mutable_gcounter()->set_increment(n);
  return delta;
}

pb::CrdtDelta PNCounterChange(int64_t n) {
  pb::CrdtDelta delta;
  delta.mutable_pncounter()->set_change(n);
  return delta;
}

TEST_CASE("GCounter converges to the sum of all increments") {
  for (uint32_t seed : PropertySeeds(20)) {
    CAPTURE(seed);
    ReplicaNetwork net(CrdtType::kGCounter, 3 + static_cast<int>(seed % 3), seed);
    uint64_t model = 0;
    std::vector<uint64_t> seen(net.size(), 0);
    for (int step = 0; step < 300; ++step) {
      int r = net.Pick(net.size());
      uint64_t n = static_cast<uint64_t>(net.Pick(1000));
      REQUIRE(net.replica(r).ApplyUpdate(GCounterIncrement(n), 0).ok());
      model += n;
      net.Churn();
      // Out-of-order delivery must never make a replica count an increment twice or go back.
      for (int i = 0; i < net.size(); ++i) {
        uint64_t value = net.replica(i).store().As<GCounterStore>().Value();
        CHECK(value >= seen[i]);
        CHECK(value <= model);
        seen[i] = value;
      }
    }
    net.Settle();
    for (int r = 0; r < net.size(); ++r) {
      CAPTURE(r);
      CHECK(net.replica(r).store().As<GCounterStore>().Value() == model);
      CHECK(net.replica(r).View().gcounter().increment() == model);
      // One live entry per writer, and no gaps left once everything arrived.
      CHECK(net.replica(r).store().As<GCounterStore>().totals.size() <= static_cast<size_t>(net.size()));
      CHECK(net.replica(r).context().cloud().empty());
    }
  }
}

TEST_CASE("PNCounter converges to the sum of all changes") {
  for (uint32_t seed : PropertySeeds(20)) {
    CAPTURE(seed);
    ReplicaNetwork net(CrdtType::kPNCounter, 3 + static_cast<int>(seed % 3), seed);
    int64_t model = 0;
    for (int step = 0; step < 300; ++step) {
      int r = net.Pick(net.size());
      int64_t n = net.Pick(2001) - 1000;
      REQUIRE(net.replica(r).ApplyUpdate(PNCounterChange(n), 0).ok());
      model += n;
      net.Churn();
    }
    net.Settle();
    for (int r = 0; r < net.size(); ++r) {
      CAPTURE(r);
      CHECK(net.replica(r).store().As<PNCounterStore>().Value() == model);
      CHECK(net.replica(r).View().pncounter().change() == model);
    }
  }
}

TEST_CASE("GCounter refuses to pass the signed 64-bit range and stays unchanged") {
  Crdt counter(ReplicaId("a"), CrdtType::kGCounter);
  REQUIRE(counter.ApplyUpdate(GCounterIncrement(INT64_MAX - 5), 0).ok());
  Status refused = counter.ApplyUpdate(GCounterIncrement(6), 0);
  CHECK(refused.code() == StatusCode::kInvalidArgument);
  CHECK(counter.store().As<GCounterStore>().Value() == static_cast<uint64_t>(INT64_MAX - 5));
  CHECK(counter.ApplyUpdate(GCounterIncrement(5), 0).ok());
}

TEST_CASE("PNCounter handles the extreme changes") {
  Crdt counter(ReplicaId("a"), CrdtType::kPNCounter);
  REQUIRE(counter.ApplyUpdate(PNCounterChange(INT64_MIN), 0).ok());
  CHECK(counter.store().As<PNCounterStore>().Value() == INT64_MIN);
  REQUIRE(counter.ApplyUpdate(PNCounterChange(INT64_MAX), 0).ok());
  CHECK(counter.store().As<PNCounterStore>().Value() == -1);
}

TEST_CASE("a zero change makes no delta") {
  Crdt counter(ReplicaId("a"), CrdtType::kGCounter);
  REQUIRE(counter.ApplyUpdate(GCounterIncrement(0), 0).ok());
  CHECK_FALSE(counter.HasPendingDelta());
  REQUIRE(counter.ApplyUpdate(GCounterIncrement(2), 0).ok());
  CHECK(counter.HasPendingDelta());
}

}  // namespace
}  // namespace cloudstate::replicated::testing
