// Runs one in-process event-sourced entity: recovery from snapshot + events, command handling with
// events applied as they are emitted, and the conditional append (with a snapshot every N events)
// that must succeed before the reply is released. Commands that queued up while the entity's last
// write was being synced are handled as one batch and written with one append.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

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
  size_t MaxBatch() const override;
  void HandleBatch(std::span<const EntityCommand> commands, int64_t first_command_id,
                   BatchOutcomeCallback done) override;

 private:
  class Context;

  Status Recover();
  // Runs one command's handler. The events of a command that succeeded are appended to `events`
  // and counted in sequence_; a failed or broken one leaves them out (and asks for a restart when
  // it had already applied some).
  CommandOutcome HandleOne(const EntityCommand& command, int64_t command_id,
                           std::vector<google::protobuf::Any>& events);
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
