// GSet and ORSet against reference models. The ORSet model is the observed-remove specification
// itself: every add and remove is an operation that records which adds it has seen (and so
// cancels); an element is in the set a replica holds iff some add of it the replica has seen is
// cancelled by no operation the replica has seen. Checked on every replica along the way, not just
// at the end, while deltas arrive out of order and twice.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "crdt/any_key.h"
#include "orset_model.h"
#include "property.h"
#include "replica_network.h"

namespace cloudstate::replicated::testing {
namespace {

namespace pb = ::cloudstate::crdt;

std::set<int> ElementsOf(const ElementDots& store) {
  std::set<int> elements;
  for (const auto& entry : store.elements) elements.insert(std::stoi(AnyFromKey(entry.first).value().substr(1)));
  return elements;
}

TEST_CASE("ORSet matches the observed-remove model on every replica, all along") {
  for (uint32_t seed : PropertySeeds(15)) {
    CAPTURE(seed);
    ReplicaNetwork net(CrdtType::kORSet, 3 + static_cast<int>(seed % 2), seed);
    ORSetModel model;
    for (int step = 0; step < 250; ++step) {
      CAPTURE(step);
      int r = net.Pick(net.size());
      pb::CrdtDelta update;
      pb::ORSetDelta* orset = update.mutable_orset();
      auto record = [&](bool is_add, std::optional<int> element) {
        net.RecordOp(r, model.Record(net.Known(r), is_add, element));
      };
      int kind = net.Pick(100);
      if (kind < 3) {
        orset->set_cleared(true);
        record(false, std::nullopt);
      }
      if (kind >= 3 && kind < 40) {
        int element = net.Pick(12);
        *orset->add_removed() = Element(element);
        record(false, element);
      }
      int adds = kind < 40 ? net.Pick(2) : 1 + net.Pick(2);
      for (int a = 0; a < adds; ++a) {
        int element = net.Pick(12);
        *orset->add_added() = Element(element);
        record(true, element);
      }
      REQUIRE(net.replica(r).ApplyUpdate(update, 0).ok());
      net.Churn();
      for (int i = 0; i < net.size(); ++i) {
        CAPTURE(i);
        REQUIRE(ElementsOf(net.replica(i).store().As<ORSetStore>()) == model.Value(net.Known(i)));
      }
    }
    net.Settle();
    std::set<int> everything = net.Known(0);
    for (int i = 0; i < net.size(); ++i) {
      CHECK(net.Known(i) == everything);
      CHECK(ElementsOf(net.replica(i).store().As<ORSetStore>()) == model.Value(everything));
      CHECK(net.replica(i).FullState() == net.replica(0).FullState());
    }
  }
}

TEST_CASE("GSet converges to the union of all adds") {
  for (uint32_t seed : PropertySeeds(15)) {
    CAPTURE(seed);
    ReplicaNetwork net(CrdtType::kGSet, 3, seed);
    std::set<int> model;
    for (int step = 0; step < 200; ++step) {
      int r = net.Pick(net.size());
      pb::CrdtDelta update;
      int element = net.Pick(100);
      *update.mutable_gset()->add_added() = Element(element);
      model.insert(element);
      REQUIRE(net.replica(r).ApplyUpdate(update, 0).ok());
      net.Churn();
    }
    net.Settle();
    for (int i = 0; i < net.size(); ++i) CHECK(ElementsOf(net.replica(i).store().As<GSetStore>()) == model);
  }
}

TEST_CASE("ORSet: an add wins over a concurrent remove, a remove wins over what it saw") {
  Crdt a(ReplicaId("a"), CrdtType::kORSet), b(ReplicaId("b"), CrdtType::kORSet);
  pb::CrdtDelta add, remove;
  *add.mutable_orset()->add_added() = Element(1);
  *remove.mutable_orset()->add_removed() = Element(1);
  REQUIRE(a.ApplyUpdate(add, 0).ok());
  REQUIRE(b.Merge(a.TakeDelta()).ok());
  REQUIRE(b.ApplyUpdate(remove, 0).ok());  // b saw a's add
  REQUIRE(a.ApplyUpdate(add, 0).ok());     // concurrent re-add at a
  CrdtState removal = b.TakeDelta();
  CrdtState readd = a.TakeDelta();
  REQUIRE(a.Merge(removal).ok());
  REQUIRE(b.Merge(readd).ok());
  CHECK(a.store().As<ORSetStore>().Contains(AnyKey(Element(1))));
  CHECK(a.FullState() == b.FullState());
  // Now b removes having seen the re-add: gone everywhere.
  REQUIRE(b.ApplyUpdate(remove, 0).ok());
  REQUIRE(a.Merge(b.TakeDelta()).ok());
  CHECK(a.store().As<ORSetStore>().Empty());
}

}  // namespace
}  // namespace cloudstate::replicated::testing
