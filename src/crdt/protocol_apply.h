// Applying a user function's update (a protocol CrdtDelta) to a replica, following the protocol's
// rules: which changes are errors (wrong type, empty delta, switching a flag off, a GCounter past
// the signed 64-bit range, an ORMap `added` entry of the wrong type) and which are silently
// skipped (an ORMap `updated` entry whose key is gone or whose value changed type).
#pragma once

#include <optional>

#include "cloudstate/crdt.pb.h"
#include "cloudstate/status.h"
#include "crdt/any_store.h"

namespace cloudstate::replicated {

// The kind a delta is for; none for an empty CrdtDelta.
std::optional<CrdtType> TypeOfDelta(const ::cloudstate::crdt::CrdtDelta& delta);

// Whether `update` may be applied to `current` (null: the value does not exist yet). Checking
// first keeps a refused update from leaving a half-applied replica behind.
Status CheckUpdate(const AnyStore* current, const ::cloudstate::crdt::CrdtDelta& update, int64_t now_ms);

// Applies an update that CheckUpdate accepted. `store` and `delta` are of the update's kind.
void ApplyCheckedUpdate(AnyStore& store, const ::cloudstate::crdt::CrdtDelta& update, Mutation& mutation,
                        AnyStore& delta, int64_t now_ms);

}  // namespace cloudstate::replicated
