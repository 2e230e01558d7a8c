#include "engine/engine_impl.h"

#include <algorithm>

#include "eventsourcing/event_sourced_runtime.h"
#include "valueentity/value_entity_runtime.h"

namespace cloudstate {

EngineImpl::EngineImpl(EngineOptions options, std::unique_ptr<Store> store, std::shared_ptr<Env> env)
    : options_(std::move(options)),
      store_(std::move(store)),
      env_(std::move(env)),
      log_(options_.log ? options_.log : StderrLogSink()),
      router_([this](EntityCommand command, ReplyCallback done) { Dispatch(std::move(command), std::move(done), true); }),
      shortest_passivation_(options_.passivation_timeout),
      table_(*this, options_.mailbox_capacity) {
  log_(LogLevel::kInfo, "engine open on " + store_->Describe() + " with " + std::to_string(env_->WorkerThreads()) +
                            " worker threads");
  ScheduleSweep();
}

EngineImpl::~EngineImpl() {
  Shutdown();
  // Joins the workers when the engine owns its Env; nothing of ours is queued there any more.
  env_.reset();
  store_.reset();
}

Status EngineImpl::AddType(std::string name, const EntityTypeOptions& options, const RuntimeFactoryMaker& make,
                           StatelessHandler stateless) {
  if (name.empty()) return Status::InvalidArgument("an entity type needs a name");
  if (name.find('\0') != std::string::npos) return Status::InvalidArgument("entity type names cannot hold NUL");
  if (options.passivation_timeout && options.passivation_timeout->count() <= 0) {
    return Status::InvalidArgument("passivation timeout of " + name + " must be positive");
  }
  if (options.snapshot_every && *options.snapshot_every < 0) {
    return Status::InvalidArgument("snapshot_every of " + name + " cannot be negative");
  }
  auto type = std::make_shared<EntityType>();
  type->name = name;
  type->persistence_id = options.persistence_id.empty() ? name : options.persistence_id;
  type->passivation_timeout = options.passivation_timeout.value_or(options_.passivation_timeout);
  if (make) type->runtime_factory = make(type->persistence_id, CheckTarget());
  type->stateless = std::move(stateless);

  std::unique_lock lock(types_mu_);
  if (types_.count(name)) return Status::InvalidArgument("entity type " + name + " is already registered");
  for (const auto& [other, registered] : types_) {
    if (!type->stateless && !registered->stateless && registered->persistence_id == type->persistence_id) {
      return Status::InvalidArgument("entity types " + other + " and " + name + " cannot share persistence id " +
                                     type->persistence_id);
    }
  }
  shortest_passivation_ = std::min(shortest_passivation_, type->passivation_timeout);
  types_.emplace(std::move(name), std::move(type));
  return Status::Ok();
}

Status EngineImpl::RegisterEventSourced(std::string entity_type, EventSourcedFactory factory,
                                        EntityTypeOptions options) {
  if (!factory) return Status::InvalidArgument("entity type " + entity_type + " needs a factory");
  int snapshot_every = options.snapshot_every.value_or(options_.snapshot_every);
  return AddType(std::move(entity_type), options, [&](const std::string& persistence_id, TargetCheck check) {
    return MakeEventSourcedRuntimeFactory(store_->journal(), std::move(factory), persistence_id, snapshot_every,
                                          std::move(check));
  });
}

Status EngineImpl::RegisterValueEntity(std::string entity_type, ValueEntityFactory factory,
                                       EntityTypeOptions options) {
  if (!factory) return Status::InvalidArgument("entity type " + entity_type + " needs a factory");
  return AddType(std::move(entity_type), options, [&](const std::string& persistence_id, TargetCheck check) {
    return MakeValueEntityRuntimeFactory(store_->values(), std::move(factory), persistence_id, std::move(check));
  });
}

Status EngineImpl::RegisterRuntime(std::string entity_type, EntityTypeOptions options, RuntimeFactoryMaker make) {
  if (!make) return Status::InvalidArgument("entity type " + entity_type + " needs a runtime");
  return AddType(std::move(entity_type), options, make);
}

Status EngineImpl::RegisterStateless(std::string entity_type, StatelessHandler handler) {
  if (!handler) return Status::InvalidArgument("stateless type " + entity_type + " needs a handler");
  return AddType(std::move(entity_type), EntityTypeOptions{}, nullptr, std::move(handler));
}

TargetCheck EngineImpl::CheckTarget() {
  return [this](const EntityCommand& command) {
    std::shared_lock lock(types_mu_);
    if (types_.count(command.entity_type)) return Status::Ok();
    return Status::NotFound("no entity type named '" + command.entity_type + "' is registered");
  };
}

void EngineImpl::Send(EntityCommand command, ReplyCallback done) { Dispatch(std::move(command), std::move(done), false); }

void EngineImpl::DispatchStreamed(EntityCommand command, ReplyCallback done, std::shared_ptr<StreamSink> stream) {
  Dispatch(std::move(command), std::move(done), false, std::move(stream));
}

std::shared_ptr<Replicator> EngineImpl::replicator() {
  std::lock_guard lock(replicator_mu_);
  return replicator_;
}

void EngineImpl::SetReplicator(std::shared_ptr<Replicator> replicator) {
  std::lock_guard lock(replicator_mu_);
  if (replicator) replicator_ = std::move(replicator);
}

void EngineImpl::Dispatch(EntityCommand&& command, ReplyCallback done, bool internal, std::shared_ptr<StreamSink> stream) {
  // Counted before the check, so Shutdown never sees zero while an accepted command is on its way.
  in_flight_.fetch_add(1);
  if (!internal && !accepting_.load()) {
    FinishOne();
    if (stream) stream->End(Status::Ok());  // behind the refusal
    // Runs after the engine may be gone: capture nothing of it.
    env_->Schedule([done = std::move(done)] { done(Status::Unavailable("the engine is shutting down")); });
    return;
  }
  ReplyCallback tracked = Track(std::move(done));

  std::shared_ptr<const EntityType> type;
  {
    std::shared_lock lock(types_mu_);
    auto it = types_.find(command.entity_type);
    if (it != types_.end()) type = it->second;
  }
  if (stream && (!type || type->stateless)) {
    // Nothing there streams: the reply (or the refusal) is the only message.
    stream->End(Status::Ok());
    stream.reset();
  }
  if (!type) {
    Reject(Status::NotFound("no entity type named '" + command.entity_type + "' is registered"), std::move(tracked));
    return;
  }
  if (type->stateless) {
    // No actor: run at once on a worker; the outcome is released like an entity's.
    env_->Schedule([this, type, command = std::move(command), tracked = std::move(tracked)]() mutable {
      type->stateless(command, [this, tracked = std::move(tracked)](CommandOutcome outcome) mutable {
        Release(std::move(outcome), std::move(tracked));
      });
    });
    return;
  }
  std::shared_ptr<StreamSink> refused = stream;
  Status queued = table_.Enqueue(type, std::move(command), tracked, std::move(stream));
  if (!queued.ok()) {
    if (refused) refused->End(Status::Ok());
    Reject(std::move(queued), std::move(tracked));
  }
}

ReplyCallback EngineImpl::Track(ReplyCallback done) {
  return [this, done = std::move(done)](Result<CommandReply> result) {
    counters_.commands++;
    try {
      done(std::move(result));
    } catch (...) {
      log_(LogLevel::kError, "a reply callback threw; the exception was dropped");
    }
    FinishOne();
  };
}

void EngineImpl::FinishOne() {
  if (in_flight_.fetch_sub(1) != 1) return;
  std::lock_guard lock(flight_mu_);  // pairs with the wait in Shutdown: no lost wake-up
  flight_cv_.notify_all();
}

void EngineImpl::Reject(Status status, ReplyCallback done) {
  env_->Schedule([status = std::move(status), done = std::move(done)] { done(status); });
}

void EngineImpl::Release(CommandOutcome&& outcome, ReplyCallback&& done) { router_.Release(std::move(outcome), std::move(done)); }

EngineExtensions& ExtensionsOf(Engine& engine) { return static_cast<EngineImpl&>(engine); }

void EngineImpl::Shutdown() {
  {
    std::unique_lock lock(flight_mu_);
    if (!accepting_.load() && in_flight_.load() == 0 && table_.Size() == 0) return;
    accepting_.store(false);
    flight_cv_.wait(lock, [this] { return in_flight_.load() == 0; });
  }
  {
    std::lock_guard lock(lifeline_->mu);
    lifeline_->alive = false;
  }
  counters_.passivations += table_.Clear();
}

EngineStats EngineImpl::Stats() const {
  EngineStats stats;
  stats.active_entities = table_.Size();
  stats.activations = counters_.activations.load();
  stats.passivations = counters_.passivations.load();
  stats.restarts = counters_.restarts.load();
  stats.commands = counters_.commands.load();
  stats.journal_writes = counters_.journal_writes.load();
  return stats;
}

void EngineImpl::ScheduleSweep() {
  std::chrono::milliseconds interval;
  {
    std::shared_lock lock(types_mu_);
    interval = std::clamp(shortest_passivation_ / 4, std::chrono::milliseconds(1), std::chrono::milliseconds(1000));
  }
  env_->ScheduleAt(env_->Now() + interval, [this, lifeline = lifeline_] {
    std::lock_guard lock(lifeline->mu);
    if (!lifeline->alive) return;
    counters_.passivations += table_.Passivate(env_->Now());
    ScheduleSweep();
  });
}

}  // namespace cloudstate
