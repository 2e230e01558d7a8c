// CRDT entities as engine entity runtimes: one CrdtCore per live entity, and the listener that
// hands other nodes' changes to the live entity of that id, or folds them into the store when the
// entity is not live. Used with the in-process port by RegisterCrdt and with the protocol port
// by the sidecar.
#pragma once

#include <memory>

#include "crdtentity/crdt_core.h"
#include "entity/entity_runtime.h"

namespace cloudstate::crdtentity {

// Subscribes to the type's replicated changes for as long as the returned factory lives.
EntityRuntimeFactory MakeCrdtRuntimeFactory(std::shared_ptr<CrdtTypeContext> type);

// Milliseconds since the epoch, for LWWRegister clocks.
int64_t WallClockMs();

}  // namespace cloudstate::crdtentity
