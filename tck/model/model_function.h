// The conformance kit's model user function: the event-sourced, value-entity, action, CRDT and
// event-log eventing model services, as the kit's reference for checking a proxy.
#pragma once

#include "cloudstate/function_server.h"
#include "cloudstate/status.h"

namespace cloudstate::tck {

Status AddModelServices(FunctionServer& server);

}  // namespace cloudstate::tck
