// PNCounter: a counter that also goes down. Each replica owns one entry with its running totals of
// increments and decrements; the value is the sum of increments minus the sum of decrements.
#pragma once

#include <cstdint>
#include <functional>

#include "crdt/mutation.h"

namespace cloudstate::replicated {

struct PNTotals {
  uint64_t increments = 0;
  uint64_t decrements = 0;
  bool operator==(const PNTotals&) const = default;
};

struct PNCounterStore {
  DotFun<PNTotals> totals;

  // Two's complement wrap-around, like the protocol's 64-bit change.
  int64_t Value() const;
  void Change(Mutation& mutation, int64_t change, PNCounterStore& delta);

  void Join(const PNCounterStore& theirs, const DotContext& mine, const DotContext& their_context, bool) {
    JoinDotFun(totals, mine, theirs.totals, their_context);
  }
  bool Empty() const { return totals.empty(); }
  void ForEachDot(const std::function<void(const Dot&)>& fn) const {
    for (const auto& entry : totals) fn(entry.first);
  }
  bool operator==(const PNCounterStore&) const = default;
};

}  // namespace cloudstate::replicated
