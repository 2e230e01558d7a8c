// The engine: hosts entities in-process on top of a store. An application registers entity types,
// then sends commands to (entity type, entity id) and gets replies. Each entity is a single-threaded
// actor: its commands run one at a time in arrival order, many entities in parallel on a fixed pool;
// state changes are durable before the reply is released (the commands that queued behind an
// entity's write share its next one); idle entities are passivated and come back from the store on
// their next command.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "cloudstate/command.h"
#include "cloudstate/env.h"
#include "cloudstate/event_sourced.h"
#include "cloudstate/log.h"
#include "cloudstate/status.h"
#include "cloudstate/store.h"
#include "cloudstate/store_registry.h"
#include "cloudstate/value_entity.h"

namespace cloudstate {

struct EngineOptions {
  // Which store to open, where, and how durable (default: SQLite, fsync per commit group).
  StoreOptions store;
  // Worker threads of the default environment; 0 means one per core. Ignored when `env` is set.
  int worker_threads = 0;
  // Clock, workers and timers; nullptr for NewDefaultEnv(worker_threads).
  std::shared_ptr<Env> env;
  // An entity with no command for this long is passivated (its memory released).
  std::chrono::milliseconds passivation_timeout{30'000};
  // An event-sourced entity is asked for a snapshot every this many events; 0 disables snapshots.
  int snapshot_every = 100;
  // Commands waiting per entity before further ones are refused with ResourceExhausted.
  size_t mailbox_capacity = 4096;
  // Log lines (entity restarts, store errors); nullptr for StderrLogSink().
  LogSink log;
};

// Per entity type; unset fields take the engine-wide value.
struct EntityTypeOptions {
  // Key prefix in the store; defaults to the entity type name. Two types must not share one.
  std::string persistence_id;
  std::optional<std::chrono::milliseconds> passivation_timeout;
  std::optional<int> snapshot_every;
};

using ReplyCallback = std::function<void(Result<CommandReply>)>;

// Counters for operations and tests.
struct EngineStats {
  size_t active_entities = 0;       // entities in memory now
  uint64_t activations = 0;         // entities loaded from the store since Open
  uint64_t passivations = 0;
  uint64_t restarts = 0;            // entities reloaded after a failure
  uint64_t commands = 0;            // commands completed, successfully or not
  uint64_t journal_writes = 0;      // journal appends and value writes acknowledged by the store
};

// Safe to call from any thread.
class Engine {
 public:
  // Opens the store named by options.store from the built-in stores.
  static Result<std::unique_ptr<Engine>> Open(EngineOptions options);
  // Opens options.store from `registry` (which may hold plugin stores).
  static Result<std::unique_ptr<Engine>> Open(EngineOptions options, const StoreRegistry& registry);
  // Runs on a store the caller created; options.store is ignored.
  static Result<std::unique_ptr<Engine>> Open(EngineOptions options, std::unique_ptr<Store> store);

  // Shuts down: refuses new commands, finishes the ones in flight, passivates every entity.
  virtual ~Engine() = default;

  // InvalidArgument when the name is empty or already registered, or the options are invalid.
  virtual Status RegisterEventSourced(std::string entity_type, EventSourcedFactory factory,
                                      EntityTypeOptions options = {}) = 0;
  virtual Status RegisterValueEntity(std::string entity_type, ValueEntityFactory factory,
                                     EntityTypeOptions options = {}) = 0;

  // Sends a command; `done` runs exactly once, on a worker thread, with the reply or the failure:
  // NotFound (unknown type), CommandFailed (the entity rejected it), Conflict (another writer owns
  // the entity), Internal (the handler crashed; the entity was restarted), ResourceExhausted
  // (mailbox full), Unavailable (store error, or the engine is shutting down).
  virtual void Send(EntityCommand command, ReplyCallback done) = 0;

  // Blocking convenience over Send. Must not be called from a handler.
  Result<CommandReply> SendAndWait(EntityCommand command);

  // Stops taking commands, completes those accepted, passivates all entities. Idempotent.
  virtual void Shutdown() = 0;

  virtual EngineStats Stats() const = 0;
  virtual Store& store() = 0;
};

}  // namespace cloudstate
