// ORMap: keys follow the observed-remove model on every replica all along (an add or update of a
// key is an add), values nest (counters, sets, maps of counters) and every replica ends with the
// same state; without removes, every counter value is the sum of its increments.
#include <doctest/doctest.h>

#include <map>

#include "crdt/any_key.h"
#include "orset_model.h"
#include "property.h"
#include "replica_network.h"

namespace cloudstate::replicated::testing {
namespace {

namespace pb = ::cloudstate::crdt;

int KeyNumber(const std::string& key) { return std::stoi(AnyFromKey(key).value().substr(1)); }

std::set<int> KeysOf(const Crdt& map) {
  std::set<int> keys;
  for (const auto& entry : map.store().As<ORMapStore>().entries) {
    if (entry.second.Visible()) keys.insert(KeyNumber(entry.first));
  }
  return keys;
}

// The value kind of a key is fixed by its number, as user code would fix it.
pb::CrdtDelta ValueChange(int key, ReplicaNetwork& net) {
  pb::CrdtDelta delta;
  switch (key % 3) {
    case 0:
      delta.mutable_gcounter()->set_increment(1 + net.Pick(9));
      break;
    case 1:
      if (net.Chance(30)) *delta.mutable_orset()->add_removed() = Element(net.Pick(5));
      *delta.mutable_orset()->add_added() = Element(net.Pick(5));
      break;
    default: {
      pb::ORMapEntryDelta* inner = delta.mutable_ormap()->add_added();
      *inner->mutable_key() = Element(net.Pick(4));
      inner->mutable_delta()->mutable_gcounter()->set_increment(1 + net.Pick(9));
      if (net.Chance(20)) *delta.mutable_ormap()->add_removed() = Element(net.Pick(4));
      break;
    }
  }
  return delta;
}

TEST_CASE("ORMap keys match the observed-remove model and nested values converge") {
  for (uint32_t seed : PropertySeeds(12)) {
    CAPTURE(seed);
    ReplicaNetwork net(CrdtType::kORMap, 3 + static_cast<int>(seed % 2), seed);
    ORSetModel model;
    for (int step = 0; step < 250; ++step) {
      CAPTURE(step);
      int r = net.Pick(net.size());
      Crdt& replica = net.replica(r);
      pb::CrdtDelta update;
      pb::ORMapDelta* map = update.mutable_ormap();
      auto record = [&](bool is_add, std::optional<int> key) {
        net.RecordOp(r, model.Record(net.Known(r), is_add, key));
      };
      int kind = net.Pick(100);
      int key = net.Pick(9);
      if (kind < 2) {
        map->set_cleared(true);
        record(false, std::nullopt);
      } else if (kind < 25) {
        *map->add_removed() = Element(key);
        record(false, key);
      } else if (kind < 60) {
        pb::ORMapEntryDelta* entry = map->add_updated();
        *entry->mutable_key() = Element(key);
        *entry->mutable_delta() = ValueChange(key, net);
        // An update of a key this replica does not hold is skipped.
        if (replica.store().As<ORMapStore>().Find(AnyKey(Element(key)))) record(true, key);
      } else {
        pb::ORMapEntryDelta* entry = map->add_added();
        *entry->mutable_key() = Element(key);
        *entry->mutable_delta() = ValueChange(key, net);
        record(true, key);
      }
      REQUIRE(replica.ApplyUpdate(update, 0).ok());
      net.Churn();
      for (int i = 0; i < net.size(); ++i) {
        CAPTURE(i);
        REQUIRE(KeysOf(net.replica(i)) == model.Value(net.Known(i)));
      }
    }
    net.Settle();
    for (int i = 0; i < net.size(); ++i) {
      CHECK(net.replica(i).FullState() == net.replica(0).FullState());
      CHECK(net.replica(i).View().SerializeAsString() == net.replica(0).View().SerializeAsString());
      CHECK(net.replica(i).context().cloud().empty());
    }
  }
}

TEST_CASE("ORMap without removes: every counter is the sum of its increments") {
  for (uint32_t seed : PropertySeeds(10)) {
    CAPTURE(seed);
    ReplicaNetwork net(CrdtType::kORMap, 3, seed);
    std::map<int, uint64_t> sums;
    for (int step = 0; step < 200; ++step) {
      int r = net.Pick(net.size());
      int key = net.Pick(6);
      uint64_t n = static_cast<uint64_t>(net.Pick(50));
      pb::CrdtDelta update;
      pb::ORMapEntryDelta* entry = update.mutable_ormap()->add_added();
      *entry->mutable_key() = Element(key);
      entry->mutable_delta()->mutable_gcounter()->set_increment(n);
      sums[key] += n;
      REQUIRE(net.replica(r).ApplyUpdate(update, 0).ok());
      net.Churn();
    }
    net.Settle();
    for (int i = 0; i < net.size(); ++i) {
      pb::CrdtDelta view = net.replica(i).View();
      REQUIRE(view.ormap().added_size() == static_cast<int>(sums.size()));
      for (const auto& entry : view.ormap().added()) {
        CHECK(entry.delta().gcounter().increment() == sums[std::stoi(entry.key().value().substr(1))]);
      }
    }
  }
}

pb::CrdtDelta AddCounter(int key, uint64_t n) {
  pb::CrdtDelta update;
  pb::ORMapEntryDelta* entry = update.mutable_ormap()->add_added();
  *entry->mutable_key() = Element(key);
  entry->mutable_delta()->mutable_gcounter()->set_increment(n);
  return update;
}

TEST_CASE("ORMap: a removed value resets, a concurrent update survives, in any delivery order") {
  Crdt a(ReplicaId("a"), CrdtType::kORMap), b(ReplicaId("b"), CrdtType::kORMap), c(ReplicaId("c"), CrdtType::kORMap);
  REQUIRE(a.ApplyUpdate(AddCounter(1, 3), 0).ok());
  CrdtState a_add = a.TakeDelta();
  REQUIRE(b.Merge(a_add).ok());
  pb::CrdtDelta remove;
  *remove.mutable_ormap()->add_removed() = Element(1);
  REQUIRE(b.ApplyUpdate(remove, 0).ok());  // b saw only a's counter
  CrdtState b_remove = b.TakeDelta();
  REQUIRE(c.ApplyUpdate(AddCounter(1, 4), 0).ok());  // concurrent with the remove
  CrdtState c_add = c.TakeDelta();

  Crdt x(ReplicaId("x"), CrdtType::kORMap), y(ReplicaId("y"), CrdtType::kORMap);
  for (const CrdtState* d : {&a_add, &b_remove, &c_add}) REQUIRE(x.Merge(*d).ok());
  for (const CrdtState* d : {&c_add, &b_remove, &a_add, &c_add}) REQUIRE(y.Merge(*d).ok());
  CHECK(x.FullState() == y.FullState());
  // The key lives (c's update was not seen by the remove) and holds only c's count.
  REQUIRE(x.View().ormap().added_size() == 1);
  CHECK(x.View().ormap().added(0).delta().gcounter().increment() == 4);
  // Re-adding after the remove starts from zero.
  REQUIRE(b.ApplyUpdate(AddCounter(1, 2), 0).ok());
  CHECK(b.View().ormap().added(0).delta().gcounter().increment() == 2);
}

TEST_CASE("ORMap update rules: skipped updates, refused additions, atomic refusal") {
  Crdt map(ReplicaId("a"), CrdtType::kORMap);
  REQUIRE(map.ApplyUpdate(AddCounter(1, 3), 0).ok());
  pb::CrdtDelta update;
  pb::ORMapEntryDelta* missing = update.mutable_ormap()->add_updated();
  *missing->mutable_key() = Element(2);
  missing->mutable_delta()->mutable_gcounter()->set_increment(1);
  pb::ORMapEntryDelta* wrong_type = update.mutable_ormap()->add_updated();
  *wrong_type->mutable_key() = Element(1);
  wrong_type->mutable_delta()->mutable_flag()->set_value(true);
  map.TakeDelta();
  REQUIRE(map.ApplyUpdate(update, 0).ok());  // both entries silently skipped
  CHECK_FALSE(map.HasPendingDelta());

  pb::CrdtDelta refused = AddCounter(5, 1);
  pb::ORMapEntryDelta* bad = refused.mutable_ormap()->add_added();
  *bad->mutable_key() = Element(1);
  bad->mutable_delta()->mutable_orset();
  CrdtState before = map.FullState();
  CHECK(map.ApplyUpdate(refused, 0).code() == StatusCode::kInvalidArgument);
  CHECK(map.FullState() == before);  // the valid first entry was not applied either

  // Removed then added in one delta: the new value starts fresh, and a receiver agrees.
  Crdt peer(ReplicaId("b"), map.FullState());
  pb::CrdtDelta readd = AddCounter(1, 7);
  *readd.mutable_ormap()->add_removed() = Element(1);
  REQUIRE(map.ApplyUpdate(readd, 0).ok());
  REQUIRE(peer.Merge(map.TakeDelta()).ok());
  CHECK(peer.View().SerializeAsString() == map.View().SerializeAsString());
  CHECK(map.View().ormap().added(0).delta().gcounter().increment() == 7);
}

}  // namespace
}  // namespace cloudstate::replicated::testing
