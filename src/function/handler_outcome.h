// Handler side: turns what a user's handler did (a CommandOutcome of src/entity, or the public
// Command of a forward or side effect) into the neutral structs of bridge.h. Includes the public
// API, never the generated protocol.
#pragma once

#include <google/protobuf/descriptor.h>

#include "cloudstate/command.h"
#include "entity/command_outcome.h"
#include "function/bridge.h"
#include "function/registry.h"

namespace cloudstate::function {

// Command::entity_type is the target's full service name, Command::name its method; the entity id
// is not sent (the proxy takes the key from the payload).
TargetCall ToTarget(EntityCommand command);

// The reply payload as the protocol wants it: type URL type.googleapis.com/<output type> (bytes as
// given); no payload gives the output type's default instance, as entities must reply.
google::protobuf::Any ReplyPayload(std::optional<google::protobuf::Any> payload,
                                   const google::protobuf::MethodDescriptor& method);

// An entity command's outcome. A failed reply becomes a failure (restart as the outcome says).
Outcome ToOutcome(CommandOutcome outcome, const google::protobuf::MethodDescriptor& method);

// Checks every forward and side effect target of `outcome` against the registry.
Status CheckTargets(const CommandOutcome& outcome, const Registry& registry);

}  // namespace cloudstate::function
