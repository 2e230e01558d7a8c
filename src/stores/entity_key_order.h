// Ordering of EntityKey for ordered containers inside stores.
#pragma once

#include <tuple>

#include "cloudstate/store.h"

namespace cloudstate {

struct EntityKeyLess {
  bool operator()(const EntityKey& a, const EntityKey& b) const {
    return std::tie(a.persistence_id, a.entity_id) < std::tie(b.persistence_id, b.entity_id);
  }
};

}  // namespace cloudstate
