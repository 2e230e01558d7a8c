// Where an event-log consumer keeps the offset of the last event it processed: a value in the
// store's value role under a reserved persistence id, written conditionally on its version so that
// two consumers of one (event log, consumer group) cannot both advance it unnoticed.
#pragma once

#include <cstdint>
#include <string>

#include "cloudstate/status.h"
#include "cloudstate/store.h"

namespace cloudstate::proxy {

// Reserved: no entity type may use it as its persistence id.
inline constexpr char kConsumerOffsetsPersistenceId[] = "cloudstate.eventing.consumer-offsets";

class ConsumerOffsets {
 public:
  ConsumerOffsets(ValueStore& values, const std::string& event_log, const std::string& consumer_group);

  // The committed offset, 0 when none was (then the consumer starts at the beginning of the log).
  Result<int64_t> Load();
  // Conflict when another writer committed since Load or the last Commit.
  Status Commit(int64_t offset);

 private:
  ValueStore& values_;
  EntityKey key_;
  int64_t version_ = 0;
};

}  // namespace cloudstate::proxy
