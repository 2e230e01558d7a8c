#include "crdt/orset.h"

namespace cloudstate::replicated {

void ORSetStore::Add(Mutation& mutation, const std::string& element, ORSetStore& delta) {
  DotSet& dots = elements[element];
  mutation.Supersede(dots);
  Dot dot = mutation.NewDot();
  dots = {dot};
  delta.elements[element] = {dot};
}

void ORSetStore::Remove(Mutation& mutation, const std::string& element, ORSetStore& delta) {
  auto it = elements.find(element);
  if (it == elements.end()) return;
  mutation.Supersede(it->second);
  elements.erase(it);
  // Listed with no dots: the delta touched it, so receivers look at it.
  delta.elements[element].clear();
}

void ORSetStore::Clear(Mutation& mutation, ORSetStore& delta) {
  if (elements.empty()) return;
  ForEachDot([&mutation](const Dot& dot) { mutation.Supersede(dot); });
  elements.clear();
  delta.elements.clear();
  mutation.MarkClear();
}

}  // namespace cloudstate::replicated
