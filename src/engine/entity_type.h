// A registered entity type: how to build its runtime and how long its entities may idle.
#pragma once

#include <chrono>
#include <string>

#include "entity/entity_runtime.h"

namespace cloudstate {

struct EntityType {
  std::string name;
  std::string persistence_id;
  std::chrono::milliseconds passivation_timeout{0};
  EntityRuntimeFactory runtime_factory;
  // Set for stateless types: commands bypass the entity actors and run concurrently.
  std::function<void(const EntityCommand&, OutcomeCallback)> stateless;
};

}  // namespace cloudstate
