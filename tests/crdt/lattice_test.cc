// Merge is a join: commutative, associative and idempotent, on full states and deltas of random
// histories of every kind. Compared as whole states (store and causal context), not just values.
#include <doctest/doctest.h>

#include "property.h"
#include "random_updates.h"

namespace cloudstate::replicated::testing {
namespace {

CrdtState Join(const CrdtState& a, const CrdtState& b) {
  Crdt joined(ReplicaId("joiner"), a);
  REQUIRE(joined.Merge(b).ok());
  return joined.FullState();
}

// Full states and deltas captured at random moments of one random history.
std::vector<CrdtState> RandomStates(CrdtType type, uint32_t seed) {
  ReplicaNetwork net(type, 3, seed);
  std::vector<CrdtState> states;
  for (int step = 0; step < 120; ++step) {
    int r = net.Pick(net.size());
    REQUIRE(net.replica(r).ApplyUpdate(RandomUpdate(net.replica(r), net), step).ok());
    if (net.Chance(10)) states.push_back(net.replica(net.Pick(net.size())).FullState());
    if (net.Chance(10)) states.push_back(net.replica(r).TakeDelta());
    net.Churn();
  }
  states.push_back(net.replica(0).FullState());
  return states;
}

TEST_CASE("merge is commutative, associative and idempotent for every kind") {
  for (CrdtType type : kAllTypes) {
    CAPTURE(CrdtTypeName(type));
    for (uint32_t seed : PropertySeeds(4)) {
      CAPTURE(seed);
      std::vector<CrdtState> states = RandomStates(type, seed);
      std::mt19937 random(seed);
      for (int trial = 0; trial < 40; ++trial) {
        const CrdtState& a = states[random() % states.size()];
        const CrdtState& b = states[random() % states.size()];
        const CrdtState& c = states[random() % states.size()];
        CHECK(Join(a, b) == Join(b, a));
        CHECK(Join(Join(a, b), c) == Join(a, Join(b, c)));
        CrdtState ab = Join(a, b);
        CHECK(Join(ab, a) == ab);
        CHECK(Join(ab, ab) == ab);
      }
    }
  }
}

TEST_CASE("every kind converges under random delivery with duplicates and full states") {
  for (CrdtType type : kAllTypes) {
    CAPTURE(CrdtTypeName(type));
    for (uint32_t seed : PropertySeeds(5)) {
      CAPTURE(seed);
      ReplicaNetwork net(type, 4, seed);
      for (int step = 0; step < 200; ++step) {
        int r = net.Pick(net.size());
        REQUIRE(net.replica(r).ApplyUpdate(RandomUpdate(net.replica(r), net), step).ok());
        net.Churn();
      }
      net.Settle();
      std::vector<ReplicaId> members;
      for (int i = 0; i < net.size(); ++i) members.push_back(net.replica(i).self());
      for (int i = 1; i < net.size(); ++i) {
        CHECK(net.replica(i).FullState() == net.replica(0).FullState());
        if (type != CrdtType::kVote) {  // self_vote differs per replica by design
          CHECK(net.replica(i).View(members).SerializeAsString() == net.replica(0).View(members).SerializeAsString());
        }
      }
    }
  }
}

}  // namespace
}  // namespace cloudstate::replicated::testing
