// Handler side: a user's CrdtEntity behind one Crdt.handle stream, run by the same CrdtHandler the
// engine uses in-process. The handler's answers already have the protocol's shape (CrdtAnswer), so
// the session turns them into messages without another neutral layer.
#pragma once

#include "cloudstate/crdt_entity.h"
#include "function/bridge.h"
#include "function/registry.h"

namespace cloudstate::function {

// Handlers whose forwards and side effects are checked against `registry`; commands name methods
// of `service`.
CrdtHandlerFactory MakeCrdtHandlerFactory(const Registry& registry, const google::protobuf::ServiceDescriptor& service,
                                          CrdtEntityFactory factory);

}  // namespace cloudstate::function
