// Handler side: runs a user's EventSourcedEntity behind one protocol stream. Emitted events are
// applied at once (as the protocol's support libraries do); a reply carries the command's events
// and, when they cross a multiple of snapshot_every, the state after them as a snapshot.
#pragma once

#include <memory>
#include <string>

#include "cloudstate/event_sourced.h"
#include "function/bridge.h"
#include "function/registry.h"

namespace cloudstate::function {

// What the protocol session calls; wraps `factory` (exceptions and nullptr become errors).
EventSourcedInstanceFactory MakeEventSourcedInstanceFactory(const Registry& registry,
                                                            const google::protobuf::ServiceDescriptor& service,
                                                            EventSourcedFactory factory, int snapshot_every);

}  // namespace cloudstate::function
