// What a command handler can do besides changing state: reply, fail, forward the command to
// another entity, and ask for side effects. Shared by every entity kind.
#pragma once

#include <cstdint>
#include <string>

#include <google/protobuf/any.pb.h>
#include <google/protobuf/message.h>

#include "cloudstate/command.h"
#include "cloudstate/metadata.h"

namespace cloudstate {

// Valid only during the handler call that receives it; called on the entity's strand only.
// A handler ends a command with exactly one of Reply, Fail or Forward, or with none of them (the
// caller then gets a reply without payload). Calling two of them is a broken result: the entity
// is restarted and the caller gets Internal.
class CommandContext {
 public:
  virtual ~CommandContext() = default;

  virtual const std::string& EntityId() const = 0;
  virtual const std::string& CommandName() const = 0;
  // 1 for the first command after an activation, then 1 more per command.
  virtual int64_t CommandId() const = 0;
  virtual const MetadataEntries& CommandMetadata() const = 0;

  virtual void Reply(google::protobuf::Any payload, MetadataEntries metadata = {}) = 0;
  void Reply(const google::protobuf::Message& message, MetadataEntries metadata = {}) {
    google::protobuf::Any any;
    any.PackFrom(message);
    Reply(std::move(any), std::move(metadata));
  }

  // Rejects the command: nothing it produced is persisted, no side effect runs, and the caller gets
  // CommandFailed with `description`.
  virtual void Fail(std::string description) = 0;

  // Hands the command on: once this command's state change is persisted, `command` is sent and its
  // outcome becomes this command's outcome.
  virtual void Forward(EntityCommand command) = 0;

  // Runs `command` after this command's state change is persisted. A synchronous side effect
  // completes before the reply is released (its reply is discarded); an asynchronous one is only
  // started. Side effects run in the order they were added.
  virtual void SideEffect(EntityCommand command, bool synchronous = false) = 0;
};

}  // namespace cloudstate
