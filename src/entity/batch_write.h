// What the runtimes that write a batch of commands at once (EntityRuntime::HandleBatch) share: how
// the one write's result settles the outcome of each command in the batch.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "cloudstate/status.h"
#include "entity/command_outcome.h"

namespace cloudstate {

// The most commands one write carries (EntityRuntime::MaxBatch): bounds the delay a batch adds to
// the reply of its first command.
inline constexpr size_t kMaxCommandsPerWrite = 64;

// `first_writer` is the first command whose change is in the write. On success that command
// carries the write (counted once). On failure it and every later command saw state the store does
// not have: each fails with `failure_prefix()` and the store's message, and the entity restarts.
// Earlier commands saw only stored state and keep their outcomes.
template <typename PrefixFn>
void SettleBatchWrite(std::vector<CommandOutcome>& outcomes, size_t first_writer, const Status& status,
                      const PrefixFn& failure_prefix) {
  if (status.ok()) {
    outcomes[first_writer].persisted = true;
    return;
  }
  const std::string message = failure_prefix() + status.message();
  for (size_t i = first_writer; i < outcomes.size(); ++i) {
    outcomes[i] = CommandOutcome::Failed(Status(status.code(), message), true);
  }
}

}  // namespace cloudstate
