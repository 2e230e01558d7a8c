// Between the typed values handlers see (crdt_types.h) and the protocol's CrdtDelta: a value built
// from the runtime's initial delta, a runtime delta applied to it (another node's change), and the
// handler's changes taken out as an update. Pure.
#pragma once

#include <memory>
#include <optional>

#include "cloudstate/crdt.pb.h"
#include "cloudstate/crdt_types.h"
#include "cloudstate/status.h"

namespace cloudstate::internal {

struct CrdtCodec {
  // A value holding `view` (the protocol's initial delta); InvalidArgument for an empty delta.
  static Result<std::unique_ptr<CrdtValue>> FromView(const ::cloudstate::crdt::CrdtDelta& view);
  // Applies a delta pushed by the runtime. InvalidArgument (value unusable) when it does not fit.
  static Status Apply(CrdtValue& value, const ::cloudstate::crdt::CrdtDelta& delta);
  // The changes since the last call as an update, or nullopt; `created` adds a new value's whole
  // state, as ORMap entries need.
  static std::optional<::cloudstate::crdt::CrdtDelta> TakeDelta(CrdtValue& value, bool created = false);
  // The whole value as an initial delta.
  static ::cloudstate::crdt::CrdtDelta View(const CrdtValue& value);
  // Forgets pending changes (after a failed command the runtime's state is what counts).
  static void DropDelta(CrdtValue& value) { (void)TakeDelta(value); }
};

}  // namespace cloudstate::internal
