// The store behind GSet and ORSet: element -> the dots of the adds that keep it in the set.
// Elements are protobuf Any messages compared byte-wise, held as their serialized bytes.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "crdt/mutation.h"

namespace cloudstate::replicated {

struct ElementDots {
  std::map<std::string, DotSet> elements;

  bool Contains(const std::string& element) const { return elements.count(element) > 0; }
  size_t Size() const { return elements.size(); }

  // `touched_only`: every dot in their context belongs to an element they list (true for deltas
  // without a clear), so elements they do not list need no look.
  void Join(const ElementDots& theirs, const DotContext& mine, const DotContext& their_context,
            bool touched_only);
  bool Empty() const { return elements.empty(); }
  void ForEachDot(const std::function<void(const Dot&)>& fn) const;
  bool operator==(const ElementDots&) const = default;
};

}  // namespace cloudstate::replicated
