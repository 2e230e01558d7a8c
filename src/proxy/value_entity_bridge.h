// A value entity whose code runs in the user function: one ValueEntity.handle stream per live
// entity — init with the stored state (always present, empty when nothing is stored), then one
// command at a time — writing each reply's state action, conditionally on the version, before the
// reply is released.
#pragma once

#include <memory>
#include <string>

#include "entity/entity_runtime.h"
#include "proxy/bridge_context.h"

namespace cloudstate::proxy {

EntityRuntimeFactory MakeValueEntityBridgeFactory(std::shared_ptr<const BridgeContext> context,
                                                  std::string service_name, std::string persistence_id);

}  // namespace cloudstate::proxy
