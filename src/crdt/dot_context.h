// Dots and the causal context: which events (dots) a replica has seen. Every CRDT here is a causal
// delta-CRDT: its state is a store of live dots plus this context, and a dot that is in the context
// but no longer in the store was removed. That is what lets deltas arrive out of order or twice.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <set>

#include "crdt/replica_id.h"

namespace cloudstate::replicated {

// One event: the counter-th event created by a replica.
struct Dot {
  ReplicaId replica;
  uint64_t counter = 0;
  auto operator<=>(const Dot&) const = default;
};

// A version vector (every dot up to n seen, per replica) plus the dots seen beyond a gap. Gaps
// appear when deltas arrive out of order; they close, and the cloud empties, as the missing deltas
// or a full state arrive. So metadata stays bounded by the number of replicas plus open gaps.
class DotContext {
 public:
  bool Contains(const Dot& dot) const;
  void Insert(const Dot& dot);
  // A fresh dot of `replica`, recorded as seen.
  Dot Next(const ReplicaId& replica);
  void Join(const DotContext& other);

  const std::map<ReplicaId, uint64_t>& version_vector() const { return version_vector_; }
  const std::set<Dot>& cloud() const { return cloud_; }
  // Loading a stored context: contiguous entries, then the rest.
  void SetVersion(const ReplicaId& replica, uint64_t counter);
  // How many entries the context holds: a measure of its metadata.
  size_t Size() const { return version_vector_.size() + cloud_.size(); }

  bool operator==(const DotContext&) const = default;

 private:
  // Moves cloud dots of `replica` that now continue its version into the version vector.
  void Compact(const ReplicaId& replica);

  std::map<ReplicaId, uint64_t> version_vector_;
  std::set<Dot> cloud_;
};

}  // namespace cloudstate::replicated
