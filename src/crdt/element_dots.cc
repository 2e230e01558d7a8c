#include "crdt/element_dots.h"

namespace cloudstate::replicated {

void ElementDots::Join(const ElementDots& theirs, const DotContext& mine, const DotContext& their_context,
                       bool touched_only) {
  static const DotSet kNone;
  if (!touched_only) {
    for (auto it = elements.begin(); it != elements.end();) {
      if (theirs.elements.count(it->first)) {
        ++it;
        continue;
      }
      JoinDotSet(it->second, mine, kNone, their_context);
      it = it->second.empty() ? elements.erase(it) : std::next(it);
    }
  }
  for (const auto& [element, dots] : theirs.elements) {
    auto it = elements.try_emplace(element).first;
    JoinDotSet(it->second, mine, dots, their_context);
    if (it->second.empty()) elements.erase(it);
  }
}

void ElementDots::ForEachDot(const std::function<void(const Dot&)>& fn) const {
  for (const auto& entry : elements) {
    for (const Dot& dot : entry.second) fn(dot);
  }
}

}  // namespace cloudstate::replicated
