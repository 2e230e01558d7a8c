// Vote and Flag: random operations on several replicas converge to what a model of the last vote
// per replica (Vote) or "anyone ever enabled" (Flag) says.
#include <doctest/doctest.h>

#include <map>

#include "property.h"
#include "replica_network.h"

namespace cloudstate::replicated::testing {
namespace {

namespace pb = ::cloudstate::crdt;

pb::CrdtDelta VoteFor(bool vote) {
  pb::CrdtDelta delta;
  delta.mutable_vote()->set_self_vote(vote);
  delta.mutable_vote()->set_votes_for(99);  // ignored: a function sets only its own vote
  return delta;
}

pb::CrdtDelta FlagTo(bool value) {
  pb::CrdtDelta delta;
  delta.mutable_flag()->set_value(value);
  return delta;
}

std::vector<ReplicaId> Members(ReplicaNetwork& net) {
  std::vector<ReplicaId> members;
  for (int r = 0; r < net.size(); ++r) members.push_back(net.replica(r).self());
  return members;
}

TEST_CASE("Vote converges to every replica's last vote") {
  for (uint32_t seed : PropertySeeds(20)) {
    CAPTURE(seed);
    ReplicaNetwork net(CrdtType::kVote, 3 + static_cast<int>(seed % 3), seed);
    std::map<int, bool> last_vote;
    for (int step = 0; step < 200; ++step) {
      int r = net.Pick(net.size());
      bool vote = net.Chance(50);
      REQUIRE(net.replica(r).ApplyUpdate(VoteFor(vote), 0).ok());
      last_vote[r] = vote;
      net.Churn();
    }
    net.Settle();
    int votes_for = 0;
    for (const auto& entry : last_vote) votes_for += entry.second ? 1 : 0;
    for (int r = 0; r < net.size(); ++r) {
      CAPTURE(r);
      pb::CrdtDelta view = net.replica(r).View(Members(net));
      CHECK(view.vote().self_vote() == (last_vote.count(r) && last_vote[r]));
      CHECK(view.vote().votes_for() == votes_for);
      CHECK(view.vote().total_voters() == net.size());
    }
  }
}

TEST_CASE("Vote counts only members that are up; alone, a replica is the only voter") {
  Crdt a(ReplicaId("a"), CrdtType::kVote), b(ReplicaId("b"), CrdtType::kVote);
  REQUIRE(a.ApplyUpdate(VoteFor(true), 0).ok());
  REQUIRE(b.ApplyUpdate(VoteFor(true), 0).ok());
  REQUIRE(a.Merge(b.TakeDelta()).ok());
  CHECK(a.View({ReplicaId("a"), ReplicaId("b")}).vote().votes_for() == 2);
  pb::CrdtDelta without_b = a.View({ReplicaId("a"), ReplicaId("c")});
  CHECK(without_b.vote().votes_for() == 1);
  CHECK(without_b.vote().total_voters() == 2);
  pb::CrdtDelta alone = a.View();
  CHECK(alone.vote().total_voters() == 1);
  CHECK(alone.vote().self_vote());
  // Voting the same way again changes nothing.
  REQUIRE(a.ApplyUpdate(VoteFor(true), 0).ok());
  a.TakeDelta();
  REQUIRE(a.ApplyUpdate(VoteFor(true), 0).ok());
  CHECK_FALSE(a.HasPendingDelta());
}

TEST_CASE("Flag converges to enabled once any replica enabled it") {
  for (uint32_t seed : PropertySeeds(20)) {
    CAPTURE(seed);
    ReplicaNetwork net(CrdtType::kFlag, 3, seed);
    bool model = false;
    for (int step = 0; step < 60; ++step) {
      int r = net.Pick(net.size());
      bool enable = net.Chance(5);
      bool currently = net.replica(r).store().As<FlagStore>().Value();
      // Off is only legal on a flag that is still off here; it is then a no-op.
      if (enable || !currently) {
        REQUIRE(net.replica(r).ApplyUpdate(FlagTo(enable), 0).ok());
        model = model || enable;
      }
      net.Churn();
    }
    net.Settle();
    for (int r = 0; r < net.size(); ++r) CHECK(net.replica(r).View().flag().value() == model);
  }
}

TEST_CASE("Flag refuses to be switched off") {
  Crdt flag(ReplicaId("a"), CrdtType::kFlag);
  REQUIRE(flag.ApplyUpdate(FlagTo(false), 0).ok());
  CHECK_FALSE(flag.HasPendingDelta());
  REQUIRE(flag.ApplyUpdate(FlagTo(true), 0).ok());
  CHECK(flag.ApplyUpdate(FlagTo(false), 0).code() == StatusCode::kInvalidArgument);
  CHECK(flag.View().flag().value());
}

}  // namespace
}  // namespace cloudstate::replicated::testing
