// The action model services of the conformance kit (ActionTckModel with all four method shapes,
// and ActionTwo, the target of its forwards and side effects), served through the public
// function-server API.
#pragma once

#include "cloudstate/function_server.h"
#include "cloudstate/status.h"

namespace cloudstate::tck {

Status AddActionModel(FunctionServer& server);

}  // namespace cloudstate::tck
