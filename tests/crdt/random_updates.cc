#include "random_updates.h"

namespace cloudstate::replicated::testing {

namespace pb = ::cloudstate::crdt;

pb::CrdtDelta RandomUpdate(const Crdt& replica, ReplicaNetwork& net) {
  pb::CrdtDelta delta;
  switch (replica.type()) {
    case CrdtType::kGCounter:
      delta.mutable_gcounter()->set_increment(net.Pick(100));
      break;
    case CrdtType::kPNCounter:
      delta.mutable_pncounter()->set_change(net.Pick(201) - 100);
      break;
    case CrdtType::kGSet:
      *delta.mutable_gset()->add_added() = Element(net.Pick(40));
      break;
    case CrdtType::kORSet:
      if (net.Chance(3)) delta.mutable_orset()->set_cleared(true);
      if (net.Chance(40)) *delta.mutable_orset()->add_removed() = Element(net.Pick(20));
      *delta.mutable_orset()->add_added() = Element(net.Pick(20));
      break;
    case CrdtType::kLwwRegister:
      *delta.mutable_lwwregister()->mutable_value() = Element(net.Pick(20));
      delta.mutable_lwwregister()->set_clock(static_cast<pb::CrdtClock>(net.Pick(4)));
      delta.mutable_lwwregister()->set_custom_clock_value(net.Pick(100));
      break;
    case CrdtType::kFlag:
      delta.mutable_flag()->set_value(net.Chance(10) || replica.store().As<FlagStore>().Value());
      break;
    case CrdtType::kORMap: {
      pb::ORMapDelta* map = delta.mutable_ormap();
      if (net.Chance(3)) map->set_cleared(true);
      if (net.Chance(30)) *map->add_removed() = Element(net.Pick(10));
      pb::ORMapEntryDelta* entry = map->add_added();
      int key = net.Pick(10);
      *entry->mutable_key() = Element(key);
      if (key % 2 == 0) {
        entry->mutable_delta()->mutable_pncounter()->set_change(net.Pick(21) - 10);
      } else {
        *entry->mutable_delta()->mutable_orset()->add_added() = Element(net.Pick(6));
        if (net.Chance(30)) *entry->mutable_delta()->mutable_orset()->add_removed() = Element(net.Pick(6));
      }
      break;
    }
    case CrdtType::kVote:
      delta.mutable_vote()->set_self_vote(net.Chance(50));
      break;
  }
  return delta;
}

}  // namespace cloudstate::replicated::testing
