// What one handled command leaves behind for the engine to release, once its state change is
// durable: the caller's reply (or a forward in its place), side effects, and whether the entity
// must be reloaded from the store before its next command.
#pragma once

#include <optional>
#include <vector>

#include "cloudstate/command.h"
#include "cloudstate/status.h"

namespace cloudstate {

struct SideEffectCall {
  EntityCommand command;
  bool synchronous = false;
};

struct CommandOutcome {
  Result<CommandReply> reply = CommandReply{};
  std::optional<EntityCommand> forward;  // when set, its outcome replaces `reply`
  std::vector<SideEffectCall> side_effects;
  bool restart = false;   // in-memory state can no longer be trusted
  bool persisted = false;  // the store acknowledged a write for this command

  static CommandOutcome Failed(Status status, bool restart) {
    CommandOutcome outcome;
    outcome.reply = std::move(status);
    outcome.restart = restart;
    return outcome;
  }
};

}  // namespace cloudstate
