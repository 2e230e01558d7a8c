// What an entity instance needs from the engine that hosts it: workers and clock, the release of
// a finished command (forwards, side effects, the caller's reply), counters and the log.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "cloudstate/engine.h"
#include "cloudstate/env.h"
#include "cloudstate/log.h"
#include "entity/command_outcome.h"

namespace cloudstate {

struct EngineCounters {
  std::atomic<uint64_t> activations{0};
  std::atomic<uint64_t> passivations{0};
  std::atomic<uint64_t> restarts{0};
  std::atomic<uint64_t> commands{0};
  std::atomic<uint64_t> journal_writes{0};
};

class EntityHost {
 public:
  virtual ~EntityHost() = default;
  virtual Env& env() = 0;
  virtual EngineCounters& counters() = 0;
  virtual void Log(LogLevel level, const std::string& message) = 0;
  // Runs the outcome's side effects and forward, then calls `done`. Called once per command; may
  // leave both moved-from.
  virtual void Release(CommandOutcome&& outcome, ReplyCallback&& done) = 0;
};

}  // namespace cloudstate
