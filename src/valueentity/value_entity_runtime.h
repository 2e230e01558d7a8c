// Runs one in-process value entity: loads its value and version on activation, hands a working
// copy to each command, and writes it back conditionally on the version before the reply. Commands
// that queued up while the entity's last write was being synced are handled as one batch, and the
// state they leave is written once.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cloudstate/store.h"
#include "cloudstate/value_entity.h"
#include "entity/entity_runtime.h"
#include "entity/target_check.h"

namespace cloudstate {

class ValueEntityRuntime final : public EntityRuntime {
 public:
  ValueEntityRuntime(ValueStore& values, ValueEntityFactory factory, EntityKey key, TargetCheck check_target);

  Status Activate() override;
  void Handle(const EntityCommand& command, int64_t command_id, OutcomeCallback done) override;
  size_t MaxBatch() const override;
  void HandleBatch(std::span<const EntityCommand> commands, int64_t first_command_id,
                   BatchOutcomeCallback done) override;

 private:
  class Context;
  std::string Label() const;
  // Runs one command's handler; when it succeeded with a change, the new state replaces the
  // working state and *changed is set. A failed or broken command leaves the working state as is.
  CommandOutcome HandleOne(const EntityCommand& command, int64_t command_id, bool* changed);

  ValueStore& values_;
  ValueEntityFactory factory_;
  EntityKey key_;
  TargetCheck check_target_;
  std::unique_ptr<ValueEntity> entity_;
  VersionedValue stored_;  // as the last write will leave it, once it succeeds
};

EntityRuntimeFactory MakeValueEntityRuntimeFactory(ValueStore& values, ValueEntityFactory factory,
                                                   std::string persistence_id, TargetCheck check_target);

}  // namespace cloudstate
