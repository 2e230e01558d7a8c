// Runs one in-process event-sourced entity: recovery from snapshot + events, command handling with
// events applied as they are emitted, and the conditional append (with a snapshot every N events)
// that must succeed before the reply is released.
#pragma once

#include <memory>
#include <string>

#include "cloudstate/event_sourced.h"
#include "cloudstate/store.h"
#include "entity/entity_runtime.h"
#include "entity/target_check.h"

namespace cloudstate {

struct EventSourcedSettings {
  EntityKey key;
  int snapshot_every = 0;  // 0: never ask for snapshots
  TargetCheck check_target;
};

class EventSourcedRuntime final : public EntityRuntime {
 public:
  EventSourcedRuntime(Journal& journal, EventSourcedFactory factory, EventSourcedSettings settings);

  Status Activate() override;
  void Handle(const EntityCommand& command, int64_t command_id, OutcomeCallback done) override;

 private:
  class Context;

  Status Recover();
  std::string Label() const;
  bool SnapshotDue(int64_t before, int64_t after) const;

  Journal& journal_;
  EventSourcedFactory factory_;
  EventSourcedSettings settings_;
  std::unique_ptr<EventSourcedEntity> entity_;
  int64_t sequence_ = 0;  // sequence of the last event applied to entity_
};

// The EntityRuntimeFactory for an event-sourced entity type.
EntityRuntimeFactory MakeEventSourcedRuntimeFactory(Journal& journal, EventSourcedFactory factory,
                                                    std::string persistence_id, int snapshot_every,
                                                    TargetCheck check_target);

}  // namespace cloudstate
