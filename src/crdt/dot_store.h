// The two leaf dot stores every CRDT here is built from, and their causal join. A dot survives a
// join if both sides still hold it, or one side holds it and the other has never seen it; a dot one
// side has seen but dropped was removed there, and the removal wins.
#pragma once

#include <algorithm>
#include <map>
#include <vector>

#include "crdt/dot_context.h"

namespace cloudstate::replicated {

// A small sorted set of dots (usually one per concurrent writer).
using DotSet = std::vector<Dot>;

inline bool HasDot(const DotSet& dots, const Dot& dot) {
  return std::binary_search(dots.begin(), dots.end(), dot);
}

inline void JoinDotSet(DotSet& mine, const DotContext& my_context, const DotSet& theirs,
                       const DotContext& their_context) {
  DotSet joined;
  joined.reserve(mine.size() + theirs.size());
  for (const Dot& dot : mine) {
    if (HasDot(theirs, dot) || !their_context.Contains(dot)) joined.push_back(dot);
  }
  for (const Dot& dot : theirs) {
    if (!HasDot(mine, dot) && !my_context.Contains(dot)) joined.push_back(dot);
  }
  std::sort(joined.begin(), joined.end());
  mine = std::move(joined);
}

// Dot -> value. A dot's value never changes once created, so either side's copy will do.
template <typename Value>
using DotFun = std::map<Dot, Value>;

template <typename Value>
void JoinDotFun(DotFun<Value>& mine, const DotContext& my_context, const DotFun<Value>& theirs,
                const DotContext& their_context) {
  // Only entries of writers their context knows can have been removed there: a delta from one
  // writer looks at that writer's entries, not at every writer's.
  auto drop_seen_of = [&](const ReplicaId& writer) {
    for (auto it = mine.lower_bound(Dot{writer, 0}); it != mine.end() && it->first.replica == writer;) {
      it = !theirs.count(it->first) && their_context.Contains(it->first) ? mine.erase(it) : std::next(it);
    }
  };
  for (const auto& entry : their_context.version_vector()) drop_seen_of(entry.first);
  const ReplicaId* last = nullptr;
  for (const Dot& dot : their_context.cloud()) {
    if (last == nullptr || *last != dot.replica) drop_seen_of(dot.replica);
    last = &dot.replica;
  }
  for (const auto& [dot, value] : theirs) {
    if (!mine.count(dot) && !my_context.Contains(dot)) mine.emplace(dot, value);
  }
}

// The entry `replica` itself wrote last, if any: counters and votes keep one live dot per writer.
template <typename Value>
typename DotFun<Value>::const_iterator LatestOf(const DotFun<Value>& store, const ReplicaId& replica) {
  auto it = store.lower_bound(Dot{ReplicaId(replica.name() + '\0'), 0});
  if (it == store.begin()) return store.end();
  --it;
  return it->first.replica == replica ? it : store.end();
}

// Visits the newest entry of each writer. Out-of-order delivery can leave a writer's superseded
// entry beside its newer one until the delta superseding it arrives; the newer one already
// includes what it replaced, so values read only the newest.
template <typename Value, typename Fn>
void ForEachLatest(const DotFun<Value>& store, Fn&& fn) {
  for (auto it = store.begin(); it != store.end(); ++it) {
    auto next = std::next(it);
    if (next == store.end() || next->first.replica != it->first.replica) fn(it->first, it->second);
  }
}

}  // namespace cloudstate::replicated
