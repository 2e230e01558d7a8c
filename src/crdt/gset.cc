#include "crdt/gset.h"

namespace cloudstate::replicated {

void GSetStore::Add(Mutation& mutation, const std::string& element, GSetStore& delta) {
  if (Contains(element)) return;
  Dot dot = mutation.NewDot();
  elements[element] = {dot};
  delta.elements[element] = {dot};
}

}  // namespace cloudstate::replicated
