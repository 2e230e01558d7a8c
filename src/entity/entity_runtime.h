// The seam between the generic entity actor (src/engine/) and a state model: an event-sourced
// runtime, a value-entity runtime, later the protocol bridge to a remote user function.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cloudstate/command.h"
#include "cloudstate/status.h"
#include "entity/command_outcome.h"
#include "entity/stream_sink.h"

namespace cloudstate {

using OutcomeCallback = std::function<void(CommandOutcome)>;
using BatchOutcomeCallback = std::function<void(std::vector<CommandOutcome>)>;

// One per live entity. The actor calls it on the entity's strand only, one call at a time, and never
// calls Handle again before the previous `done` has run.
class EntityRuntime {
 public:
  virtual ~EntityRuntime() = default;

  // Loads the entity's state from the store. Non-OK: the entity cannot serve commands now.
  virtual Status Activate() = 0;

  // Handles one command and calls `done` exactly once, when the resulting state change is durable
  // or has failed; possibly before Handle returns, possibly from a store thread.
  virtual void Handle(const EntityCommand& command, int64_t command_id, OutcomeCallback done) = 0;

  // How many queued commands HandleBatch may take at once; 1 (the default): the actor only calls Handle.
  virtual size_t MaxBatch() const { return 1; }

  // Handles queued commands as one unit, in order: each sees the state the ones before it left, and
  // their state changes become durable with one write. `done` runs exactly once, when that write has
  // succeeded or failed (or at once when there was nothing to write), with one outcome per command
  // handled, in order. It may hold fewer outcomes than there were commands: a command that restarts
  // the entity ends the unit, and the actor queues the rest again. Only called with MaxBatch() > 1.
  virtual void HandleBatch(std::span<const EntityCommand> commands, int64_t first_command_id,
                           BatchOutcomeCallback done) {
    Handle(commands.front(), first_command_id, [done = std::move(done)](CommandOutcome outcome) {
      std::vector<CommandOutcome> outcomes;
      outcomes.push_back(std::move(outcome));
      done(std::move(outcomes));
    });
  }

  // False once the runtime can serve no more commands (its stream to a user function ended while
  // idle): the actor replaces it with a fresh activation instead of failing the next command.
  virtual bool Alive() const { return true; }

  // A command whose caller stays subscribed (a server-streaming method): `done` gets the reply as
  // Handle's does; later messages and the end go to `stream`. Runtimes that do not stream end it
  // after the reply.
  virtual void HandleStreamed(const EntityCommand& command, int64_t command_id, std::shared_ptr<StreamSink> stream,
                              OutcomeCallback done) {
    stream->End(Status::Ok());  // queued behind the reply
    Handle(command, command_id, std::move(done));
  }

  // True when Handle only starts a send, and what follows `done` (the caller's reply callback,
  // forwards and side effects queued for other entities) is cheap and non-blocking. The actor then
  // starts an idle entity's command on the sender's thread and completes it on the thread that
  // calls `done` (a gRPC or store thread): two thread wake-ups less per command. The sidecar's
  // bridges say yes; in-process handlers, whose code and callers' callbacks are arbitrary, keep
  // the hops onto the workers.
  virtual bool RunsInline() const { return false; }

  // True while the runtime serves an open stream: the entity is then not passivated. Safe to call
  // from any thread.
  virtual bool HoldsStreams() const { return false; }
};

// Creates the runtime of one entity id; the user's handler is created in Activate.
using EntityRuntimeFactory = std::function<std::unique_ptr<EntityRuntime>(const std::string& entity_id)>;

}  // namespace cloudstate
