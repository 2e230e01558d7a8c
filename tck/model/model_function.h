// The conformance kit's model user function: every model service our function server can host
// (event sourced, value entity, action; CRDT entities are not hosted yet), as the kit's reference
// for checking a proxy.
#pragma once

#include "cloudstate/function_server.h"
#include "cloudstate/status.h"

namespace cloudstate::tck {

Status AddModelServices(FunctionServer& server);

}  // namespace cloudstate::tck
