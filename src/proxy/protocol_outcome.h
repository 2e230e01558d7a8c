// Turns what a user function answers (client action, side effects) into the engine's
// CommandOutcome, resolving forward and side-effect targets (service + method) into commands
// addressed to entities, with the entity id read from the payload by the target's key fields.
#pragma once

#include <google/protobuf/repeated_field.h>

#include <functional>
#include <string>

#include "cloudstate/entity.pb.h"
#include "entity/command_outcome.h"

namespace cloudstate::proxy {

// Resolves (service, method, payload, metadata) to the command the engine routes; NotFound with the
// reference's text ("Service [x] unknown", "Service [x] does not have a command named: [y]").
using TargetResolver = std::function<Result<EntityCommand>(
    const std::string& service, const std::string& method, const google::protobuf::Any& payload, MetadataEntries metadata)>;

// Tells the user function what it did wrong (EntityDiscovery.reportError); must not block.
using ErrorReporter = std::function<void(const std::string& message)>;

MetadataEntries FromProtocol(const cloudstate::Metadata& metadata);  // string entries only
cloudstate::Metadata ToProtocol(const MetadataEntries& metadata);

// The outcome of a client action and side effects of the command `origin` ("<service>.<method>").
// A failure becomes CommandFailed with its description. A target nobody serves fails the command
// with Internal and the resolver's text, as the reference does, and is reported to the user function
// with the hop that named it ("\n  forwarded from <origin>" or "\n  side-effect of <origin>").
CommandOutcome OutcomeOf(const cloudstate::ClientAction& action,
                         const google::protobuf::RepeatedPtrField<cloudstate::SideEffect>& side_effects,
                         const TargetResolver& resolve, const std::string& origin, const ErrorReporter& report);

}  // namespace cloudstate::proxy
