// What hosts built on the engine (the sidecar) add beyond the public API: entity types backed by
// their own runtimes (a protocol bridge to a remote user function), and stateless types whose
// commands run concurrently with no entity behind them (actions).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "cloudstate/engine.h"
#include "crdtentity/replicator.h"
#include "entity/entity_runtime.h"
#include "entity/stream_sink.h"
#include "entity/target_check.h"

namespace cloudstate {

// Handles one command of a stateless type; `done` runs exactly once, from any thread.
using StatelessHandler = std::function<void(const EntityCommand& command, OutcomeCallback done)>;

// Builds the runtime factory of a type once its persistence id is known; `check_target` lets the
// runtime refuse unroutable forwards and side effects before persisting.
using RuntimeFactoryMaker =
    std::function<EntityRuntimeFactory(const std::string& persistence_id, TargetCheck check_target)>;

class EngineExtensions {
 public:
  virtual ~EngineExtensions() = default;
  virtual Status RegisterRuntime(std::string entity_type, EntityTypeOptions options, RuntimeFactoryMaker make) = 0;
  virtual Status RegisterStateless(std::string entity_type, StatelessHandler handler) = 0;
  // Runs a finished outcome's side effects and forward as the engine does for its own entities,
  // then calls `done` (for commands that reach a host without going through Engine::Send). May
  // leave both moved-from.
  virtual void Release(CommandOutcome&& outcome, ReplyCallback&& done) = 0;
  // Sends a streamed command: the reply goes to `done` (as with Engine::Send), later messages and
  // the end to `stream`.
  virtual void DispatchStreamed(EntityCommand command, ReplyCallback done, std::shared_ptr<StreamSink> stream) = 0;
  // Where CRDT entities publish their changes and hear of other nodes' (local by default). Replace
  // it before registering CRDT types.
  virtual std::shared_ptr<Replicator> replicator() = 0;
  virtual void SetReplicator(std::shared_ptr<Replicator> replicator) = 0;
  virtual void Log(LogLevel level, const std::string& message) = 0;
};

// The extensions of an engine opened with Engine::Open.
EngineExtensions& ExtensionsOf(Engine& engine);

}  // namespace cloudstate
