// Random user-function updates of any CRDT kind, always legal for the replica they are meant for.
#pragma once

#include "replica_network.h"

namespace cloudstate::replicated::testing {

::cloudstate::crdt::CrdtDelta RandomUpdate(const Crdt& replica, ReplicaNetwork& net);

inline constexpr CrdtType kAllTypes[] = {CrdtType::kGCounter,    CrdtType::kPNCounter, CrdtType::kGSet,
                                         CrdtType::kORSet,       CrdtType::kLwwRegister, CrdtType::kFlag,
                                         CrdtType::kORMap,       CrdtType::kVote};

}  // namespace cloudstate::replicated::testing
