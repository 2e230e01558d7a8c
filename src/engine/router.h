// Releases a finished command: runs its side effects in order (waiting for the synchronous ones),
// then hands the caller either the reply or the outcome of the forwarded command.
#pragma once

#include <functional>

#include "cloudstate/engine.h"
#include "entity/command_outcome.h"

namespace cloudstate {

class Router {
 public:
  // Sends a command on behalf of an entity (a forward or side effect); `done` runs exactly once.
  using Dispatch = std::function<void(EntityCommand command, ReplyCallback done)>;

  explicit Router(Dispatch dispatch) : dispatch_(std::move(dispatch)) {}

  void Release(CommandOutcome&& outcome, ReplyCallback&& done) const;

 private:
  struct PendingRelease;
  void Continue(std::shared_ptr<PendingRelease> release) const;

  Dispatch dispatch_;
};

}  // namespace cloudstate
