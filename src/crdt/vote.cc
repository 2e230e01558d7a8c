#include "crdt/vote.h"

namespace cloudstate::replicated {

bool VoteStore::VoteOf(const ReplicaId& replica) const {
  auto own = LatestOf(counters, replica);
  return own != counters.end() && own->second % 2 == 1;
}

VoteTally VoteStore::Tally(const ReplicaId& self, const std::vector<ReplicaId>& voters) const {
  VoteTally tally;
  for (const ReplicaId& voter : voters) {
    ++tally.total_voters;
    if (VoteOf(voter)) ++tally.votes_for;
  }
  tally.self_vote = VoteOf(self);
  return tally;
}

void VoteStore::Vote(Mutation& mutation, bool vote, VoteStore& delta) {
  auto own = LatestOf(counters, mutation.self());
  uint64_t counter = own == counters.end() ? 0 : own->second;
  if ((counter % 2 == 1) == vote) return;
  ReplaceOwnEntry(counters, delta.counters, mutation, counter + 1);
}

}  // namespace cloudstate::replicated
