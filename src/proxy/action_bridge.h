// Runs action commands in the user function. Unary commands come through the engine: one
// ActionProtocol.handleUnary call per command. Streamed calls are relayed by the gRPC front
// (streamed_action_call.h); both turn each ActionResponse into the engine's outcome here.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "cloudstate/action.grpc.pb.h"
#include "engine/engine_extensions.h"
#include "proxy/bridge_context.h"

namespace cloudstate::proxy {

StatelessHandler MakeActionBridge(std::shared_ptr<const BridgeContext> context);

// One ActionProtocol.handleUnary call for `command` on `stub` (made on the context's channel),
// within the relay timeout. `done` gets the call's status (not OK: the function was not reached or
// ended the call) and its response.
using ActionStub = std::shared_ptr<cloudstate::action::ActionProtocol::Stub>;
using UnaryActionDone = std::function<void(const grpc::Status&, const cloudstate::action::ActionResponse&)>;
void CallUnaryAction(const BridgeContext& context, ActionStub stub, const EntityCommand& command, UnaryActionDone done);

// One response of the action `origin` ("<service>.<method>"): a reply, a forward or a failure (or
// nothing for the client), plus side effects, resolved as for any other entity.
CommandOutcome ActionOutcome(const cloudstate::action::ActionResponse& response, const BridgeContext& context,
                             const std::string& origin);

}  // namespace cloudstate::proxy
