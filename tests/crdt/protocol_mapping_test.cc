// The mapping to and from the protocol: a view rebuilds the same value on a fresh replica, the
// delta between two views takes a function from one to the other, refused updates are refused,
// and state actions create, update and delete.
#include <doctest/doctest.h>

#include "crdt/state_action.h"
#include "property.h"
#include "random_updates.h"

namespace cloudstate::replicated::testing {
namespace {

namespace pb = ::cloudstate::crdt;

std::string Bytes(const pb::CrdtDelta& delta) { return delta.SerializeAsString(); }

// What a function holding `view` ends up with after receiving `delta`, rebuilt by a fresh replica.
pb::CrdtDelta ViewAfter(const pb::CrdtDelta& view, const pb::CrdtDelta& delta) {
  Result<Crdt> rebuilt = Crdt::FromUpdate(ReplicaId("function"), view, 0);
  REQUIRE(rebuilt.ok());
  REQUIRE(rebuilt->ApplyUpdate(delta, 0).ok());
  return rebuilt->View();
}

TEST_CASE("views round-trip and view deltas lead from the old view to the new one") {
  for (CrdtType type : kAllTypes) {
    CAPTURE(CrdtTypeName(type));
    for (uint32_t seed : PropertySeeds(4)) {
      CAPTURE(seed);
      ReplicaNetwork net(type, 3, seed);
      pb::CrdtDelta last_view = net.replica(0).View();
      for (int step = 0; step < 80; ++step) {
        int r = net.Pick(net.size());
        REQUIRE(net.replica(r).ApplyUpdate(RandomUpdate(net.replica(r), net), step).ok());
        net.Churn();
        pb::CrdtDelta view = net.replica(0).View();
        Result<Crdt> rebuilt = Crdt::FromUpdate(ReplicaId("function"), view, 0);
        REQUIRE(rebuilt.ok());
        ViewChange change = DiffViews(last_view, view);
        if (type == CrdtType::kVote) {
          CHECK(rebuilt->View().vote().self_vote() == view.vote().self_vote());
          if (change.kind == ViewChange::kUpdated) CHECK(Bytes(change.delta) == Bytes(view));
        } else {
          CHECK(Bytes(rebuilt->View()) == Bytes(view));
          REQUIRE(change.kind != ViewChange::kIncompatible);
          if (change.kind == ViewChange::kUpdated) {
            CHECK(Bytes(ViewAfter(last_view, change.delta)) == Bytes(view));
          } else {
            CHECK(Bytes(last_view) == Bytes(view));
          }
        }
        last_view = view;
      }
    }
  }
}

TEST_CASE("changes a function cannot be told as a delta are incompatible") {
  pb::CrdtDelta high, low;
  high.mutable_gcounter()->set_increment(5);
  low.mutable_gcounter()->set_increment(4);
  CHECK(DiffViews(high, low).kind == ViewChange::kIncompatible);
  pb::CrdtDelta on, off;
  on.mutable_flag()->set_value(true);
  off.mutable_flag();
  CHECK(DiffViews(on, off).kind == ViewChange::kIncompatible);
  CHECK(DiffViews(off, on).kind == ViewChange::kUpdated);
  pb::CrdtDelta one, none;
  *one.mutable_gset()->add_added() = Element(1);
  none.mutable_gset();
  CHECK(DiffViews(one, none).kind == ViewChange::kIncompatible);
  CHECK(DiffViews(high, on).kind == ViewChange::kIncompatible);
  // In a map, an incompatible value change is a remove plus an add of the key.
  pb::CrdtDelta map_high, map_low;
  auto* entry = map_high.mutable_ormap()->add_added();
  *entry->mutable_key() = Element(1);
  *entry->mutable_delta() = high;
  entry = map_low.mutable_ormap()->add_added();
  *entry->mutable_key() = Element(1);
  *entry->mutable_delta() = low;
  ViewChange change = DiffViews(map_high, map_low);
  REQUIRE(change.kind == ViewChange::kUpdated);
  CHECK(change.delta.ormap().removed_size() == 1);
  CHECK(change.delta.ormap().added_size() == 1);
  CHECK(Bytes(ViewAfter(map_high, change.delta)) == Bytes(map_low));
}

TEST_CASE("an ORSet view delta that would list more changes than elements resends everything") {
  pb::CrdtDelta before, after;
  for (int i = 0; i < 5; ++i) *before.mutable_orset()->add_added() = Element(i);
  *after.mutable_orset()->add_added() = Element(9);
  ViewChange change = DiffViews(before, after);
  REQUIRE(change.kind == ViewChange::kUpdated);
  CHECK(change.delta.orset().cleared());
  CHECK(change.delta.orset().added_size() == 1);
  CHECK(change.delta.orset().removed_size() == 0);
  pb::CrdtDelta empty;
  empty.mutable_orset();
  change = DiffViews(before, empty);
  CHECK(change.delta.orset().cleared());
  CHECK(change.delta.orset().added_size() == 0);
}

TEST_CASE("updates of the wrong kind or empty are refused") {
  Crdt counter(ReplicaId("a"), CrdtType::kGCounter);
  pb::CrdtDelta set_delta;
  set_delta.mutable_orset();
  CHECK(counter.ApplyUpdate(set_delta, 0).code() == StatusCode::kInvalidArgument);
  CHECK(counter.ApplyUpdate(pb::CrdtDelta(), 0).code() == StatusCode::kInvalidArgument);
  CHECK_FALSE(Crdt::FromUpdate(ReplicaId("a"), pb::CrdtDelta(), 0).ok());
  Crdt other(ReplicaId("b"), CrdtType::kORSet);
  CHECK(counter.Merge(other.FullState()).code() == StatusCode::kInvalidArgument);
}

TEST_CASE("state actions create the CRDT on first update, update it, and delete it") {
  std::optional<Crdt> slot;
  ReplicaId self("a");
  pb::CrdtStateAction action;
  action.mutable_update()->mutable_pncounter()->set_change(-3);
  Result<StateActionOutcome> outcome = ApplyStateAction(slot, self, action, 0);
  REQUIRE(outcome.ok());
  CHECK(*outcome == StateActionOutcome::kUpdated);
  REQUIRE(slot.has_value());
  CHECK(slot->View().pncounter().change() == -3);
  REQUIRE(ApplyStateAction(slot, self, action, 0).ok());
  CHECK(slot->View().pncounter().change() == -6);
  pb::CrdtStateAction wrong;
  wrong.mutable_update()->mutable_flag()->set_value(true);
  CHECK_FALSE(ApplyStateAction(slot, self, wrong, 0).ok());
  CHECK(*ApplyStateAction(slot, self, pb::CrdtStateAction(), 0) == StateActionOutcome::kNone);
  pb::CrdtStateAction remove;
  remove.mutable_delete_();
  CHECK(*ApplyStateAction(slot, self, remove, 0) == StateActionOutcome::kDeleted);
  CHECK_FALSE(slot.has_value());
}

}  // namespace
}  // namespace cloudstate::replicated::testing
