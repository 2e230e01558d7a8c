// The state a protocol bridge shares with its stream's callbacks (which may outlive it): the one
// command waiting for its reply, whether the stream is dead, and the entity's position (journal
// sequence or value version). Also the common way a bridge gives up on its stream.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "cloudstate/log.h"
#include "entity/entity_runtime.h"

namespace cloudstate::proxy {

struct BridgeState {
  std::mutex mu;
  int64_t pending_id = 0;  // the command waiting for its reply; 0 when none
  OutcomeCallback pending_done;
  bool dead = false;
  // Journal sequence or value version; touched only by whoever holds the pending command.
  int64_t position = 0;

  void Expect(int64_t id, OutcomeCallback done) {
    std::lock_guard lock(mu);
    pending_id = id;
    pending_done = std::move(done);
  }

  // Takes the pending command's callback if it is `id` (any id when 0).
  OutcomeCallback Take(int64_t id) {
    std::lock_guard lock(mu);
    if (!pending_done || (id != 0 && id != pending_id)) return nullptr;
    pending_id = 0;
    return std::move(pending_done);
  }

  bool Dead() {
    std::lock_guard lock(mu);
    return dead;
  }

  void MarkDead() {
    std::lock_guard lock(mu);
    dead = true;
  }

  // Gives up on the stream: fails the waiting command (if any) with `description` for the client,
  // restarts the entity, and logs the detail once.
  void Crash(const LogSink& log, const std::string& label, const char* description, const std::string& detail) {
    OutcomeCallback pending = Take(0);
    MarkDead();
    log(LogLevel::kError, label + ": " + description + ": " + detail);
    if (pending) pending(CommandOutcome::Failed(Status::CommandFailed(description), true));
  }
};

}  // namespace cloudstate::proxy
