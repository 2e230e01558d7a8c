// Value entities: the state is one protobuf value that command handlers read and replace (or
// delete). The engine loads it on activation and writes it, conditionally on its version, before
// the reply goes out.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <google/protobuf/any.pb.h>
#include <google/protobuf/message.h>

#include "cloudstate/command_context.h"

namespace cloudstate {

class ValueCommandContext : public CommandContext {
 public:
  // The current state, or nullptr when none is stored. Reflects UpdateState/DeleteState calls made
  // earlier in the same command.
  virtual const google::protobuf::Any* State() const = 0;
  virtual void UpdateState(google::protobuf::Any state) = 0;
  void UpdateState(const google::protobuf::Message& state) {
    google::protobuf::Any any;
    any.PackFrom(state);
    UpdateState(std::move(any));
  }
  virtual void DeleteState() = 0;
};

// One instance per live entity, called on the entity's strand only. The entity keeps no state of
// its own between commands: it is handed the stored state each time.
class ValueEntity {
 public:
  virtual ~ValueEntity() = default;
  virtual void HandleCommand(const google::protobuf::Any& command, ValueCommandContext& context) = 0;
};

using ValueEntityFactory = std::function<std::unique_ptr<ValueEntity>(const std::string& entity_id)>;

}  // namespace cloudstate
