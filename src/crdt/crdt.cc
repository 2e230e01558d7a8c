#include "crdt/crdt.h"

#include "crdt/protocol_apply.h"

namespace cloudstate::replicated {

Crdt::Crdt(ReplicaId self, CrdtType type) : self_(std::move(self)), state_{AnyStore::Empty(type), {}, false} {
  ResetPending();
}

Crdt::Crdt(ReplicaId self, const CrdtState& state) : Crdt(std::move(self), state.type()) {
  // Joining into an empty replica drops what a delta lists only as removed.
  Merge(state).IgnoreError();  // same kind: cannot fail
}

Result<Crdt> Crdt::FromUpdate(ReplicaId self, const ::cloudstate::crdt::CrdtDelta& update, int64_t now_ms) {
  std::optional<CrdtType> type = TypeOfDelta(update);
  if (!type) return Status::InvalidArgument("empty CrdtDelta");
  Crdt crdt(std::move(self), *type);
  Status applied = crdt.ApplyUpdate(update, now_ms);
  if (!applied.ok()) return applied;
  return crdt;
}

Status Crdt::ApplyUpdate(const ::cloudstate::crdt::CrdtDelta& update, int64_t now_ms) {
  Status check = CheckUpdate(&state_.store, update, now_ms);
  if (!check.ok()) return check;
  Mutation mutation(self_, state_.context, pending_.context);
  ApplyCheckedUpdate(state_.store, update, mutation, pending_.store, now_ms);
  if (mutation.cleared()) pending_.touched_only = false;
  return Status::Ok();
}

CrdtState Crdt::TakeDelta() {
  CrdtState delta = std::move(pending_);
  ResetPending();
  return delta;
}

Status Crdt::Merge(const CrdtState& remote) {
  if (remote.type() != type()) {
    return Status::InvalidArgument("cannot merge a " + std::string(CrdtTypeName(remote.type())) + " into a " +
                                   std::string(CrdtTypeName(type())));
  }
  // The store join needs both contexts as they were before the join.
  state_.store.Join(remote.store, state_.context, remote.context, remote.touched_only);
  state_.context.Join(remote.context);
  return Status::Ok();
}

::cloudstate::crdt::CrdtDelta Crdt::View(const std::vector<ReplicaId>& up_members) const {
  return ViewOf(state_.store, VoterSet{self_, up_members});
}

void Crdt::ResetPending() {
  pending_ = CrdtState{AnyStore::Empty(type()), {}, true};
}

}  // namespace cloudstate::replicated
