// An event-sourced entity whose code runs in the user function: the engine's runtime for it keeps
// one EventSourced.handle stream per live entity — init (with the newest snapshot), the events
// after it, then one command at a time — and persists the events of each reply before releasing it.
// Protocol violations, a closed stream or a missing reply fail the command with the reference's
// description and restart only this entity.
#pragma once

#include <memory>
#include <string>

#include "entity/entity_runtime.h"
#include "proxy/bridge_context.h"

namespace cloudstate::proxy {

// The runtime factory for the service `service_name` stored under `persistence_id`.
EntityRuntimeFactory MakeEventSourcedBridgeFactory(std::shared_ptr<const BridgeContext> context,
                                                   std::string service_name, std::string persistence_id);

}  // namespace cloudstate::proxy
