// What a user function sees of a CRDT, in protocol form. The function holds only a plain value;
// the runtime keeps the replica side to itself: dots, the causal context, per-replica totals,
// register timestamps and writers, and every replica's vote counter. A view is written as the
// protocol's initial delta (the whole value as a delta); the runtime keeps the last view it sent
// and pushes the difference to the new one.
#pragma once

#include <vector>

#include "cloudstate/crdt.pb.h"
#include "crdt/any_store.h"

namespace cloudstate::replicated {

// Who counts for a Vote: this replica and the members currently up (empty: this replica alone).
struct VoterSet {
  ReplicaId self;
  std::vector<ReplicaId> up;
};

// The protocol's initial delta: the value of `store` as seen by a function.
::cloudstate::crdt::CrdtDelta ViewOf(const AnyStore& store, const VoterSet& voters);

struct ViewChange {
  enum Kind {
    kNone,          // nothing the function can see changed
    kUpdated,       // send `delta`
    kIncompatible,  // cannot be expressed as a delta (a counter went down, a flag off, the type changed)
  };
  Kind kind = kNone;
  ::cloudstate::crdt::CrdtDelta delta;
};

// The delta taking a function from view `old_view` to `new_view` (both made by ViewOf).
ViewChange DiffViews(const ::cloudstate::crdt::CrdtDelta& old_view, const ::cloudstate::crdt::CrdtDelta& new_view);

}  // namespace cloudstate::replicated
