// A CRDT entity whose code runs in the user function: the engine's shared CRDT runtime (CrdtCore)
// drives the state, the replication, write consistency and the callers' open streams, and talks to
// the function through a port that is one Crdt.handle stream per live entity. Protocol violations,
// a closed stream or a missing reply stop only this entity; its callers get the reference's
// description and the next command starts it afresh.
#pragma once

#include <memory>
#include <string>

#include "crdtentity/replicator.h"
#include "entity/entity_runtime.h"
#include "proxy/bridge_context.h"

namespace cloudstate::proxy {

// The runtime factory for the CRDT service `service_name` stored under `persistence_id`, publishing
// its changes on `replicator` (the engine's).
EntityRuntimeFactory MakeCrdtBridgeFactory(std::shared_ptr<const BridgeContext> context, std::string service_name,
                                           std::string persistence_id, std::shared_ptr<Replicator> replicator);

}  // namespace cloudstate::proxy
