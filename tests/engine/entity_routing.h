// Turns the routing metadata of a command ("side-effect", "forward"; see test_entities.h) into
// SideEffect and Forward calls, so every test entity can be asked to forward or cause side effects.
#pragma once

#include <cstdint>
#include <string>

#include <google/protobuf/any.pb.h>

#include "cloudstate/command_context.h"

namespace cloudstate::testing {

// Adds the side effects the metadata asks for, each carrying `payload` and the source stamp.
void AddSideEffects(CommandContext& context, const google::protobuf::Any& payload, const std::string& source,
                    int64_t source_sequence);

// Forwards to the first "forward" target, passing the later ones on; returns whether it did.
bool MaybeForward(CommandContext& context, const google::protobuf::Any& payload, const std::string& source,
                  int64_t source_sequence);

// "type/id/name" (plus anything after) split into a command with the source stamp.
EntityCommand ParseTarget(const std::string& spec, const google::protobuf::Any& payload, const std::string& source,
                    int64_t source_sequence);

}  // namespace cloudstate::testing
