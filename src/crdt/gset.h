// GSet: a grow-only set. Adds carry a dot only so that an ORMap holding the set can reset it when
// the key is removed; on its own a GSet never drops an element.
#pragma once

#include <string>

#include "crdt/element_dots.h"

namespace cloudstate::replicated {

struct GSetStore : ElementDots {
  // Adding an element already present changes nothing and makes no delta.
  void Add(Mutation& mutation, const std::string& element, GSetStore& delta);
  bool operator==(const GSetStore&) const = default;
};

}  // namespace cloudstate::replicated
