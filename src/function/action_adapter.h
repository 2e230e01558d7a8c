// Handler side: runs a user's Action for one protocol call, collecting the responses its context
// builds (see cloudstate/action.h for when a response is sent).
#pragma once

#include "cloudstate/action.h"
#include "function/bridge.h"
#include "function/registry.h"

namespace cloudstate::function {

ActionInstanceFactory MakeActionInstanceFactory(const Registry& registry,
                                                const google::protobuf::ServiceDescriptor& service,
                                                ActionFactory factory);

}  // namespace cloudstate::function
