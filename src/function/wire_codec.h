// Converts between the neutral outcome structs of bridge.h and the protocol messages. Wire side:
// includes the generated protocol, never the public command headers. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <google/protobuf/repeated_ptr_field.h>

#include "cloudstate/entity.pb.h"
#include "function/bridge.h"

namespace cloudstate::function {

using WireSideEffects = google::protobuf::RepeatedPtrField<::cloudstate::SideEffect>;

MetadataPairs FromWire(const ::cloudstate::Metadata& metadata);

// The client action of an outcome, nullopt for a "no reply". A failure carries `command_id` (0 for
// actions). Empty metadata stays unset, as the reference sends it (the TCK compares exactly).
std::optional<::cloudstate::ClientAction> ClientActionToWire(const Outcome& outcome, int64_t command_id);

// Appends the outcome's side effects.
void SideEffectsToWire(const Outcome& outcome, WireSideEffects* side_effects);

// The protocol failure message of a broken stream.
::cloudstate::Failure MakeFailure(int64_t command_id, const std::string& description);

}  // namespace cloudstate::function
