// The Engine behind the public interface: entity types, live entities, in-flight accounting for a
// clean shutdown, and the passivation sweep.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>

#include "cloudstate/engine.h"
#include "engine/engine_extensions.h"
#include "engine/entity_host.h"
#include "engine/entity_table.h"
#include "engine/entity_type.h"
#include "engine/router.h"
#include "entity/target_check.h"

namespace cloudstate {

class EngineImpl final : public Engine, public EngineExtensions, private EntityHost {
 public:
  EngineImpl(EngineOptions options, std::unique_ptr<Store> store, std::shared_ptr<Env> env);
  ~EngineImpl() override;

  Status RegisterEventSourced(std::string entity_type, EventSourcedFactory factory,
                              EntityTypeOptions options) override;
  Status RegisterValueEntity(std::string entity_type, ValueEntityFactory factory,
                             EntityTypeOptions options) override;
  void Send(EntityCommand command, ReplyCallback done) override;
  void Shutdown() override;
  EngineStats Stats() const override;
  Store& store() override { return *store_; }

  // EngineExtensions
  Status RegisterRuntime(std::string entity_type, EntityTypeOptions options, RuntimeFactoryMaker make) override;
  Status RegisterStateless(std::string entity_type, StatelessHandler handler) override;
  void Release(CommandOutcome&& outcome, ReplyCallback&& done) override;
  void DispatchStreamed(EntityCommand command, ReplyCallback done, std::shared_ptr<StreamSink> stream) override;
  std::shared_ptr<Replicator> replicator() override;
  void SetReplicator(std::shared_ptr<Replicator> replicator) override;
  void Log(LogLevel level, const std::string& message) override { log_(level, message); }

 private:
  // Lets timers scheduled on a shared Env outlive the engine safely.
  struct Lifeline {
    std::mutex mu;
    bool alive = true;
  };

  // EntityHost
  Env& env() override { return *env_; }
  EngineCounters& counters() override { return counters_; }

  Status AddType(std::string name, const EntityTypeOptions& options, const RuntimeFactoryMaker& make,
                 StatelessHandler stateless = nullptr);
  // Internal sends (forwards, side effects) are accepted during shutdown: they finish accepted work.
  void Dispatch(EntityCommand&& command, ReplyCallback done, bool internal, std::shared_ptr<StreamSink> stream = nullptr);
  // Wraps `done` so Shutdown can wait for every accepted command.
  ReplyCallback Track(ReplyCallback done);
  void FinishOne();
  void Reject(Status status, ReplyCallback done);
  // Lets runtimes refuse forwards and side effects to unknown entity types before persisting.
  TargetCheck CheckTarget();
  void ScheduleSweep();

  const EngineOptions options_;
  std::unique_ptr<Store> store_;
  std::shared_ptr<Env> env_;
  LogSink log_;
  EngineCounters counters_;
  Router router_;

  mutable std::shared_mutex types_mu_;
  std::map<std::string, std::shared_ptr<const EntityType>, std::less<>> types_;
  std::chrono::milliseconds shortest_passivation_;

  EntityTable table_;

  // Commands accepted and not yet answered; Shutdown waits for zero on flight_cv_.
  std::atomic<size_t> in_flight_{0};
  std::atomic<bool> accepting_{true};
  std::mutex flight_mu_;
  std::condition_variable flight_cv_;

  std::shared_ptr<Lifeline> lifeline_ = std::make_shared<Lifeline>();

  mutable std::mutex replicator_mu_;
  std::shared_ptr<Replicator> replicator_ = NewLocalReplicator();
};

}  // namespace cloudstate
