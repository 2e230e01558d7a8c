#include "crdt/dot_context.h"

#include <algorithm>

namespace cloudstate::replicated {

bool DotContext::Contains(const Dot& dot) const {
  auto it = version_vector_.find(dot.replica);
  if (it != version_vector_.end() && dot.counter <= it->second) return true;
  return cloud_.count(dot) > 0;
}

void DotContext::Insert(const Dot& dot) {
  if (Contains(dot)) return;
  cloud_.insert(dot);
  Compact(dot.replica);
}

Dot DotContext::Next(const ReplicaId& replica) {
  uint64_t highest = 0;
  if (auto it = version_vector_.find(replica); it != version_vector_.end()) highest = it->second;
  // Our own dots are contiguous unless a state was restored; never reuse one seen in the cloud.
  // name + '\0' is the first id after `replica`, so the dot before it is replica's highest.
  auto after = cloud_.lower_bound(Dot{ReplicaId(replica.name() + '\0'), 0});
  if (after != cloud_.begin()) {
    auto last = std::prev(after);
    if (last->replica == replica) highest = std::max(highest, last->counter);
  }
  Dot dot{replica, highest + 1};
  Insert(dot);
  return dot;
}

void DotContext::Join(const DotContext& other) {
  for (const auto& [replica, counter] : other.version_vector_) {
    uint64_t& mine = version_vector_[replica];
    if (counter > mine) {
      mine = counter;
      // Cloud dots now covered by the version vector carry no information any more.
      auto first = cloud_.lower_bound(Dot{replica, 0});
      auto last = cloud_.upper_bound(Dot{replica, counter});
      cloud_.erase(first, last);
    }
  }
  for (const Dot& dot : other.cloud_) {
    if (!Contains(dot)) cloud_.insert(dot);
  }
  for (const auto& [replica, counter] : other.version_vector_) Compact(replica);
  for (const Dot& dot : other.cloud_) Compact(dot.replica);
}

void DotContext::SetVersion(const ReplicaId& replica, uint64_t counter) {
  if (counter > 0) version_vector_[replica] = counter;
}

void DotContext::Compact(const ReplicaId& replica) {
  auto entry = version_vector_.find(replica);
  uint64_t next = (entry == version_vector_.end() ? 0 : entry->second) + 1;
  auto it = cloud_.find(Dot{replica, next});
  if (it == cloud_.end()) return;
  while (it != cloud_.end() && it->replica == replica && it->counter == next) {
    it = cloud_.erase(it);
    ++next;
  }
  version_vector_[replica] = next - 1;
}

}  // namespace cloudstate::replicated
