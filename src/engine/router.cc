#include "engine/router.h"

#include <memory>
#include <utility>

namespace cloudstate {

struct Router::PendingRelease {
  CommandOutcome outcome;
  ReplyCallback done;
  size_t next_side_effect = 0;
};

void Router::Release(CommandOutcome&& outcome, ReplyCallback&& done) const {
  if (outcome.side_effects.empty() && !outcome.forward) {
    // Taken over, so the callback (and what it holds) is gone when this returns, as the caller
    // expects: once the last reply is out the engine may be destroyed.
    ReplyCallback reply_to = std::move(done);
    reply_to(std::move(outcome.reply));
    return;
  }
  Continue(std::make_shared<PendingRelease>(PendingRelease{std::move(outcome), std::move(done)}));
}

void Router::Continue(std::shared_ptr<PendingRelease> release) const {
  auto& effects = release->outcome.side_effects;
  while (release->next_side_effect < effects.size()) {
    SideEffectCall& effect = effects[release->next_side_effect++];
    if (!effect.synchronous) {
      dispatch_(std::move(effect.command), [](Result<CommandReply>) {});  // started, not awaited
      continue;
    }
    std::string target = effect.command.entity_type + "." + effect.command.name;
    dispatch_(std::move(effect.command), [this, release, target](Result<CommandReply> result) {
      // The side effect's own reply is discarded; only a target that cannot be reached fails the call.
      if (!result.ok() && result.status().code() == StatusCode::kNotFound) {
        release->done(Status::NotFound("side effect " + target + " could not be routed: " + result.status().message()));
        return;
      }
      Continue(release);
    });
    return;  // continues in the callback
  }
  if (release->outcome.forward) {
    dispatch_(std::move(*release->outcome.forward), std::move(release->done));
  } else {
    release->done(std::move(release->outcome.reply));
  }
}

}  // namespace cloudstate
