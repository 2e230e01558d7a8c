#include "crdt/gcounter.h"

namespace cloudstate::replicated {

uint64_t GCounterStore::Value() const {
  uint64_t sum = 0;
  ForEachLatest(totals, [&sum](const Dot&, uint64_t total) { sum += total; });
  return sum;
}

void GCounterStore::Increment(Mutation& mutation, uint64_t amount, GCounterStore& delta) {
  if (amount == 0) return;
  auto own = LatestOf(totals, mutation.self());
  uint64_t total = (own == totals.end() ? 0 : own->second) + amount;
  ReplaceOwnEntry(totals, delta.totals, mutation, total);
}

}  // namespace cloudstate::replicated
