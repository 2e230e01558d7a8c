// Vote: each replica owns a counter whose parity is its vote (odd = yes), bumped by one only when
// the vote changes, so a later vote always carries a higher counter. What the user function sees
// (self vote, votes for, total voters) also needs the live members, which the runtime supplies.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "crdt/mutation.h"

namespace cloudstate::replicated {

struct VoteTally {
  bool self_vote = false;
  int32_t votes_for = 0;
  int32_t total_voters = 0;
  bool operator==(const VoteTally&) const = default;
};

struct VoteStore {
  DotFun<uint64_t> counters;

  bool VoteOf(const ReplicaId& replica) const;
  // Counts only `voters`, the members currently up; votes of departed replicas are ignored.
  VoteTally Tally(const ReplicaId& self, const std::vector<ReplicaId>& voters) const;
  void Vote(Mutation& mutation, bool vote, VoteStore& delta);

  void Join(const VoteStore& theirs, const DotContext& mine, const DotContext& their_context, bool) {
    JoinDotFun(counters, mine, theirs.counters, their_context);
  }
  bool Empty() const { return counters.empty(); }
  void ForEachDot(const std::function<void(const Dot&)>& fn) const {
    for (const auto& entry : counters) fn(entry.first);
  }
  bool operator==(const VoteStore&) const = default;
};

}  // namespace cloudstate::replicated
