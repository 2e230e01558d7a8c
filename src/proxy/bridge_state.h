// The state a protocol bridge shares with its stream's callbacks (which may outlive it): the one
// command waiting for its reply, whether the stream is dead, and the entity's position (journal
// sequence or value version). Also the common way a bridge gives up on its stream.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <utility>

#include "cloudstate/log.h"
#include "entity/entity_runtime.h"

namespace cloudstate::proxy {

// A command sent to the user function and not answered yet; `done` is null when there is none.
struct WaitingCommand {
  int64_t id = 0;
  std::string name;
  OutcomeCallback done;

  // How log lines name it: "command Add (id 3)".
  std::string Describe() const { return "command " + name + " (id " + std::to_string(id) + ")"; }
};

struct BridgeState {
  std::mutex mu;
  WaitingCommand waiting;
  bool dead = false;
  std::function<void()> cancel_stream;  // ends the stream to the user function at once
  // Journal sequence or value version; touched only by whoever holds the waiting command.
  int64_t position = 0;

  // Makes `command` the one waiting for its reply; false, leaving it untouched, once the stream is
  // dead. Checked under the lock EndStream takes, so a command is never left waiting on a dead stream.
  bool Expect(WaitingCommand& command) {
    std::lock_guard lock(mu);
    if (dead) return false;
    waiting = std::move(command);
    return true;
  }

  // The stream has ended: marks it dead and takes the waiting command (if any) in one step.
  WaitingCommand EndStream() {
    std::lock_guard lock(mu);
    dead = true;
    return std::exchange(waiting, WaitingCommand{});
  }

  // Takes the waiting command if it is `id`; its `done` is null otherwise.
  WaitingCommand Take(int64_t id) {
    std::lock_guard lock(mu);
    if (!waiting.done || id != waiting.id) return {};
    return std::exchange(waiting, WaitingCommand{});
  }

  bool Dead() {
    std::lock_guard lock(mu);
    return dead;
  }

  void MarkDead() {
    std::lock_guard lock(mu);
    dead = true;
  }

  void SetCanceller(std::function<void()> cancel) {
    std::lock_guard lock(mu);
    cancel_stream = std::move(cancel);
  }

  // Gives up on the stream because of what the user function sent; fails the waiting command (if
  // any): see Fail.
  void Crash(const LogSink& log, const std::string& label, Status status, const std::string& detail) {
    Fail(log, label, EndStream(), std::move(status), detail);
  }

  // Gives up on the stream: cancels it, logs one line naming the entity (`label`) and the command,
  // and fails `command` with `status`, whose message is what the client sees. The runtime is dead
  // from here on, so the engine replaces it before the next command; the outcome does not ask for a
  // restart because the engine would log that again, without the entity.
  void Fail(const LogSink& log, const std::string& label, WaitingCommand command, Status status,
            const std::string& detail) {
    std::function<void()> cancel;
    {
      std::lock_guard lock(mu);
      dead = true;
      cancel = cancel_stream;
    }
    if (cancel) cancel();
    std::string about = command.done ? ", " + command.Describe() : "";
    log(LogLevel::kError, label + about + ": " + status.message() + ": " + detail);
    if (command.done) command.done(CommandOutcome::Failed(std::move(status), false));
  }
};

}  // namespace cloudstate::proxy
