// One replica of one CRDT, as the entity runtime holds it: the state, the causal context, and the
// delta of local changes not yet handed to replication. Pure: no I/O, no threads, no clock (the
// caller passes the wall-clock time an LWWRegister write needs). Not thread-safe; an entity's
// replica is used from its own strand only.
//
// Delivery: merging is a causal join, so deltas and full states of other replicas may arrive in
// any order, more than once, interleaved; every replica that has merged the same set of them holds
// the same state. A lost delta is repaired by merging a full state (anti-entropy).
#pragma once

#include "cloudstate/crdt.pb.h"
#include "cloudstate/status.h"
#include "crdt/any_store.h"
#include "crdt/protocol_view.h"

namespace cloudstate::replicated {

// A full state, or a delta (which is a fragment of a state): what replicas send each other and
// what the store keeps.
struct CrdtState {
  AnyStore store;
  DotContext context;
  // Every dot in `context` belongs to an element or key listed in `store`: true for deltas without
  // a clear. Lets a receiver skip what the sender did not touch.
  bool touched_only = false;

  CrdtType type() const { return store.type(); }
  bool operator==(const CrdtState&) const = default;
};

class Crdt {
 public:
  Crdt(ReplicaId self, CrdtType type);
  // A replica restored from a stored full state (or built from a delta).
  Crdt(ReplicaId self, const CrdtState& state);
  // The first update creates the CRDT, of the update's kind.
  static Result<Crdt> FromUpdate(ReplicaId self, const ::cloudstate::crdt::CrdtDelta& update, int64_t now_ms);

  const ReplicaId& self() const { return self_; }
  CrdtType type() const { return state_.type(); }
  const AnyStore& store() const { return state_.store; }
  const DotContext& context() const { return state_.context; }

  // A user function's CrdtStateAction.update. InvalidArgument (and no change) for a delta the
  // protocol rejects; the runtime then fails the entity.
  Status ApplyUpdate(const ::cloudstate::crdt::CrdtDelta& update, int64_t now_ms);
  // Runs a typed local operation, e.g. [](ORSetStore& s, Mutation& m, ORSetStore& d) { s.Add(m, e, d); }.
  template <typename Store, typename Operation>
  void Mutate(Operation&& operation);

  // The delta of local changes since the last call (empty store if none), ready to send to other
  // replicas. Merged remote changes are not in it; the replicator forwards those itself.
  CrdtState TakeDelta();
  bool HasPendingDelta() const { return !pending_.context.cloud().empty() || !pending_.context.version_vector().empty(); }
  const CrdtState& FullState() const { return state_; }
  // A delta or full state from another replica. InvalidArgument if it is of another kind.
  Status Merge(const CrdtState& remote);

  // What the user function sees (the protocol's initial delta).
  ::cloudstate::crdt::CrdtDelta View(const std::vector<ReplicaId>& up_members = {}) const;
  // Dots held in the store plus entries in the causal context: the replica-side metadata.
  size_t MetadataSize() const { return state_.store.DotCount() + state_.context.Size(); }

 private:
  void ResetPending();

  ReplicaId self_;
  CrdtState state_;
  CrdtState pending_;
};

template <typename Store, typename Operation>
void Crdt::Mutate(Operation&& operation) {
  Mutation mutation(self_, state_.context, pending_.context);
  operation(state_.store.As<Store>(), mutation, pending_.store.As<Store>());
  if (mutation.cleared()) pending_.touched_only = false;
}

}  // namespace cloudstate::replicated
