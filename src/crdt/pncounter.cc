#include "crdt/pncounter.h"

namespace cloudstate::replicated {

int64_t PNCounterStore::Value() const {
  uint64_t up = 0;
  uint64_t down = 0;
  ForEachLatest(totals, [&](const Dot&, const PNTotals& own) {
    up += own.increments;
    down += own.decrements;
  });
  return static_cast<int64_t>(up - down);
}

void PNCounterStore::Change(Mutation& mutation, int64_t change, PNCounterStore& delta) {
  if (change == 0) return;
  auto own = LatestOf(totals, mutation.self());
  PNTotals next = own == totals.end() ? PNTotals{} : own->second;
  // The magnitude of INT64_MIN does not fit an int64, so negate in unsigned arithmetic.
  if (change > 0) {
    next.increments += static_cast<uint64_t>(change);
  } else {
    next.decrements += 0 - static_cast<uint64_t>(change);
  }
  ReplaceOwnEntry(totals, delta.totals, mutation, next);
}

}  // namespace cloudstate::replicated
