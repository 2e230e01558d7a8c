// What a local operation needs besides the store it changes: the replica doing it, the causal
// context to draw new dots from, and the context of the pending delta, which collects every dot
// the operation creates or supersedes. The operation itself copies the parts it touched into the
// pending delta's store, so the delta stays proportional to the change, not to the state.
#pragma once

#include "crdt/dot_context.h"
#include "crdt/dot_store.h"

namespace cloudstate::replicated {

class Mutation {
 public:
  Mutation(const ReplicaId& self, DotContext& context, DotContext& delta_context)
      : self_(self), context_(context), delta_context_(delta_context) {}

  const ReplicaId& self() const { return self_; }

  Dot NewDot() {
    Dot dot = context_.Next(self_);
    delta_context_.Insert(dot);
    return dot;
  }
  // A dot this operation removes or replaces: receivers must drop it too.
  void Supersede(const Dot& dot) { delta_context_.Insert(dot); }
  void Supersede(const DotSet& dots) {
    for (const Dot& dot : dots) delta_context_.Insert(dot);
  }
  // A clear leaves keys out of the delta; receivers must then check all of theirs.
  void MarkClear() { cleared_ = true; }
  bool cleared() const { return cleared_; }

 private:
  const ReplicaId& self_;
  DotContext& context_;
  DotContext& delta_context_;
  bool cleared_ = false;
};

}  // namespace cloudstate::replicated

namespace cloudstate::replicated {

// Counters and votes keep one live entry per writer: a write replaces the writer's previous entry
// (whose dot it supersedes) with a new dot, in the store and in the pending delta.
template <typename Value>
void ReplaceOwnEntry(DotFun<Value>& store, DotFun<Value>& delta, Mutation& mutation, Value value) {
  if (auto old = LatestOf(store, mutation.self()); old != store.end()) {
    mutation.Supersede(old->first);
    delta.erase(old->first);
    store.erase(old);
  }
  Dot dot = mutation.NewDot();
  store.emplace(dot, value);
  delta.emplace(dot, std::move(value));
}

}  // namespace cloudstate::replicated
