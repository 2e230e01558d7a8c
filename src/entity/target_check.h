// Checks, before anything is persisted, that every command a handler wants to forward to or run as
// a side effect can be routed. A command whose targets cannot be reached fails as a whole, so the
// caller never hears "failed" about a change that was in fact stored.
#pragma once

#include <functional>

#include "cloudstate/command.h"
#include "cloudstate/status.h"
#include "entity/command_outcome.h"

namespace cloudstate {

// NotFound (with a message naming the target) when `command` cannot be routed.
using TargetCheck = std::function<Status(const EntityCommand& command)>;

// The first unroutable target of the outcome, or OK.
inline Status CheckTargets(const CommandOutcome& outcome, const TargetCheck& check) {
  if (!check) return Status::Ok();
  if (outcome.forward) {
    if (Status status = check(*outcome.forward); !status.ok()) {
      return Status(status.code(), "cannot forward: " + status.message());
    }
  }
  for (const SideEffectCall& effect : outcome.side_effects) {
    if (Status status = check(effect.command); !status.ok()) {
      return Status(status.code(), "cannot run side effect: " + status.message());
    }
  }
  return Status::Ok();
}

}  // namespace cloudstate
