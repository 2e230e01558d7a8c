// Handler side: runs a user's ValueEntity behind one protocol stream. The adapter keeps the
// entity's current state (from init, then from each successful command) and reports a changed
// state as an update or delete state action.
#pragma once

#include "cloudstate/value_entity.h"
#include "function/bridge.h"
#include "function/registry.h"

namespace cloudstate::function {

ValueInstanceFactory MakeValueInstanceFactory(const Registry& registry,
                                              const google::protobuf::ServiceDescriptor& service,
                                              ValueEntityFactory factory);

}  // namespace cloudstate::function
