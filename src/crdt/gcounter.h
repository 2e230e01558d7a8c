// GCounter: a grow-only counter. Each replica owns one entry holding its running total under its
// latest dot; the value is the sum. Holding totals (not increments) under dots lets an ORMap reset
// a removed counter while a concurrent increment still survives.
#pragma once

#include <cstdint>
#include <functional>

#include "crdt/mutation.h"

namespace cloudstate::replicated {

struct GCounterStore {
  DotFun<uint64_t> totals;

  uint64_t Value() const;
  void Increment(Mutation& mutation, uint64_t amount, GCounterStore& delta);

  void Join(const GCounterStore& theirs, const DotContext& mine, const DotContext& their_context, bool) {
    JoinDotFun(totals, mine, theirs.totals, their_context);
  }
  bool Empty() const { return totals.empty(); }
  void ForEachDot(const std::function<void(const Dot&)>& fn) const {
    for (const auto& entry : totals) fn(entry.first);
  }
  bool operator==(const GCounterStore&) const = default;
};

}  // namespace cloudstate::replicated
