// How the CRDT model reads its requests: the CRDT kind an entity id or map key names, the kit's
// string elements as primitive Anys, the model's Update applied to a typed CRDT, and the typed
// CRDT rendered as the model's State.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

#include <google/protobuf/any.pb.h>

#include "cloudstate/crdt_entity.h"
#include "cloudstate/crdt_types.h"
#include "cloudstate/status.h"
#include "cloudstate/tck/model/crdt.pb.h"

namespace cloudstate::tck {

namespace crdt_model = ::cloudstate::tck::model::crdt;

// The kind named by the part of `id` before its first '-' ("ORMap-3" is an ORMap), or nullopt.
std::optional<CrdtKind> KindOfId(const std::string& id);

// A string as the protocol's primitive Any (p.cloudstate.io/string), and back ("" for anything else).
google::protobuf::Any PrimitiveString(const std::string& text);
std::string TextOf(const google::protobuf::Any& any);

// A CRDT the model has just created: a register starts as "" with that write pending, as the
// reference model's do (its first reply carries the register even when nothing set it).
void PrepareCreated(CrdtValue& value);

// Applies the updates of one command (or one cancellation). Remembers the clock of each register's
// pending write, so that setting the same value with the same clock again changes nothing.
class CrdtUpdater {
 public:
  // InvalidArgument when the update does not fit the CRDT's kind or names a key of no kind.
  Status Apply(CrdtValue& value, const crdt_model::Update& update);

 private:
  void ApplyToSet(ORSet& set, const crdt_model::ORSetUpdate& update);
  Status ApplyToMap(ORMap& map, const crdt_model::ORMapUpdate& update);
  void SetRegister(LwwRegister& reg, const crdt_model::LWWRegisterUpdate& update);

  std::map<const LwwRegister*, std::pair<LwwClock, int64_t>> pending_clocks_;
};

WriteConsistency ConsistencyOf(const crdt_model::Update& update);

// The state the model replies with: sets and map entries sorted by their strings.
crdt_model::State RenderState(const CrdtValue& value);

}  // namespace cloudstate::tck
