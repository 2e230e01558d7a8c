// The versioned binary form of a replica's full state or of a delta (docs/formats/crdt-state.md):
// what the runtime keeps in a store and what replicas send each other.
#pragma once

#include <string>
#include <string_view>

#include "cloudstate/status.h"
#include "crdt/crdt.h"

namespace cloudstate::replicated {

inline constexpr uint32_t kCrdtStateFormatVersion = 1;

std::string EncodeCrdtState(const CrdtState& state);
// Corruption for bytes that do not parse, a newer format version, or dangling replica indexes.
Result<CrdtState> DecodeCrdtState(std::string_view bytes);

}  // namespace cloudstate::replicated
