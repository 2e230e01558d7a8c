// Runs one in-process value entity: loads its value and version on activation, hands a working
// copy to each command, and writes it back conditionally on the version before the reply.
#pragma once

#include <memory>
#include <optional>
#include <string>

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

 private:
  class Context;
  std::string Label() const;

  ValueStore& values_;
  ValueEntityFactory factory_;
  EntityKey key_;
  TargetCheck check_target_;
  std::unique_ptr<ValueEntity> entity_;
  VersionedValue stored_;
};

EntityRuntimeFactory MakeValueEntityRuntimeFactory(ValueStore& values, ValueEntityFactory factory,
                                                   std::string persistence_id, TargetCheck check_target);

}  // namespace cloudstate
