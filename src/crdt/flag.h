// Flag: a boolean that can only be switched on (enable wins). Enabled while any enabling dot lives;
// an ORMap removing the key drops the dots it saw, which resets the flag.
#pragma once

#include <functional>

#include "crdt/mutation.h"

namespace cloudstate::replicated {

struct FlagStore {
  DotSet enablers;

  bool Value() const { return !enablers.empty(); }
  void Enable(Mutation& mutation, FlagStore& delta);

  void Join(const FlagStore& theirs, const DotContext& mine, const DotContext& their_context, bool) {
    JoinDotSet(enablers, mine, theirs.enablers, their_context);
  }
  bool Empty() const { return enablers.empty(); }
  void ForEachDot(const std::function<void(const Dot&)>& fn) const {
    for (const Dot& dot : enablers) fn(dot);
  }
  bool operator==(const FlagStore&) const = default;
};

}  // namespace cloudstate::replicated
