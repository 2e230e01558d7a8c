// Runs an action command in the user function: one ActionProtocol.handleUnary call per command,
// its response turned into the engine's outcome (reply, forward or failure, plus side effects).
#pragma once

#include <memory>

#include "engine/engine_extensions.h"
#include "proxy/bridge_context.h"

namespace cloudstate::proxy {

StatelessHandler MakeActionBridge(std::shared_ptr<const BridgeContext> context);

}  // namespace cloudstate::proxy
