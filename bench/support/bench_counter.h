// The event-sourced entity every benchmark drives: as small as a real entity gets, so the figures
// are the engine's and the store's, not the handler's.
//   "Add"  Int64Value n -> emits one Int64Value event (n), replies with the entity's event count
//   "Get"  (anything)   -> emits nothing, replies with the event count (how a replay is checked)
#pragma once

#include <cstdint>
#include <string>

#include <google/protobuf/any.pb.h>

#include "cloudstate/engine.h"

namespace cloudstate::bench {

// The trivial fold of a replay, shared by the entity and the raw-store readers so that both do the
// same work per event: count it and touch its bytes.
struct EventFold {
  int64_t events = 0;
  uint64_t bytes = 0;
  void Apply(const google::protobuf::Any& event) {
    ++events;
    bytes += event.type_url().size() + event.value().size();
  }
};

// Registers the counter under `entity_type` (also its persistence id unless options say otherwise).
Status RegisterBenchCounter(Engine& engine, const std::string& entity_type, EntityTypeOptions options = {});

// An event as the counter emits it (Int64Value packed in an Any).
google::protobuf::Any CounterEvent(int64_t value);
EntityCommand AddCommand(const std::string& entity_type, std::string entity_id, int64_t value = 1);
EntityCommand GetCommand(const std::string& entity_type, std::string entity_id);

}  // namespace cloudstate::bench
