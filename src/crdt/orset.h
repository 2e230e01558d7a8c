// ORSet: an observed-remove set (add wins over a concurrent remove). A remove drops the dots it has
// observed; an add the remover had not seen brings a dot the remover's context lacks, so it stays.
// Removed elements leave no tombstone: the causal context alone records what was removed.
#pragma once

#include <string>

#include "crdt/element_dots.h"

namespace cloudstate::replicated {

struct ORSetStore : ElementDots {
  // Re-adding a present element renews its dot, so it survives removes concurrent with this add.
  void Add(Mutation& mutation, const std::string& element, ORSetStore& delta);
  void Remove(Mutation& mutation, const std::string& element, ORSetStore& delta);
  void Clear(Mutation& mutation, ORSetStore& delta);
  bool operator==(const ORSetStore&) const = default;
};

}  // namespace cloudstate::replicated
