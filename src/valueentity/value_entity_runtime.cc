#include "valueentity/value_entity_runtime.h"

#include <utility>

#include "entity/recording_context.h"

namespace cloudstate {

// Holds the command's working copy of the state; the stored value changes only once written.
class ValueEntityRuntime::Context final : public RecordingContext<ValueCommandContext> {
 public:
  Context(const EntityCommand& command, int64_t command_id, const std::optional<google::protobuf::Any>& state)
      : RecordingContext(command, command_id), state_(state) {}

  const google::protobuf::Any* State() const override { return state_ ? &*state_ : nullptr; }

  void UpdateState(google::protobuf::Any state) override {
    if (state.type_url().empty()) {
      MarkBroken("updated its state with a value without a type URL");
      return;
    }
    state_ = std::move(state);
    changed_ = true;
  }

  void DeleteState() override {
    state_.reset();
    changed_ = true;
  }

  bool changed() const { return changed_; }
  std::optional<google::protobuf::Any>& state() { return state_; }

 private:
  std::optional<google::protobuf::Any> state_;
  bool changed_ = false;
};

ValueEntityRuntime::ValueEntityRuntime(ValueStore& values, ValueEntityFactory factory, EntityKey key,
                                       TargetCheck check_target)
    : values_(values), factory_(std::move(factory)), key_(std::move(key)), check_target_(std::move(check_target)) {}

std::string ValueEntityRuntime::Label() const { return "value entity " + key_.persistence_id + "/" + key_.entity_id; }

Status ValueEntityRuntime::Activate() {
  try {
    entity_ = factory_(key_.entity_id);
  } catch (const std::exception& e) {
    return Status::Internal("the factory of " + Label() + " threw: " + e.what());
  } catch (...) {
    return Status::Internal("the factory of " + Label() + " threw");
  }
  if (!entity_) return Status::Internal("the factory of " + Label() + " returned no entity");
  Result<VersionedValue> stored = values_.Read(key_);
  if (!stored.ok()) {
    entity_.reset();
    return Status(stored.status().code(), Label() + " could not load its state: " + stored.status().message());
  }
  stored_ = std::move(*stored);
  return Status::Ok();
}

void ValueEntityRuntime::Handle(const EntityCommand& command, int64_t command_id, OutcomeCallback done) {
  Context context(command, command_id, stored_.value);
  context.RunHandler([&] { entity_->HandleCommand(command.payload, context); });

  bool write = context.changed() && !context.failed() && !context.broken();
  CommandOutcome outcome = context.TakeOutcome([this] { return Label(); });
  if (!context.failed() && !context.broken()) {
    if (Status unroutable = CheckTargets(outcome, check_target_); !unroutable.ok()) {
      outcome = CommandOutcome::Failed(std::move(unroutable), false);
      write = false;
    }
  }
  if (!write) {
    done(std::move(outcome));
    return;
  }

  ValueWrite value_write{key_, stored_.version, context.state()};
  // Assume success so the next command sees the new state; a failed write restarts the entity.
  stored_.version += 1;
  stored_.value = std::move(context.state());
  values_.Write(std::move(value_write), [this, outcome = std::move(outcome), done = std::move(done)](Status status) mutable {
    if (status.ok()) {
      outcome.persisted = true;
    } else {
      std::string message = Label() + " could not persist its state: " + status.message();
      outcome = CommandOutcome::Failed(Status(status.code(), std::move(message)), true);
    }
    done(std::move(outcome));
  });
}

EntityRuntimeFactory MakeValueEntityRuntimeFactory(ValueStore& values, ValueEntityFactory factory,
                                                   std::string persistence_id, TargetCheck check_target) {
  return [&values, factory = std::move(factory), persistence_id = std::move(persistence_id),
          check_target = std::move(check_target)](const std::string& entity_id) -> std::unique_ptr<EntityRuntime> {
    return std::make_unique<ValueEntityRuntime>(values, factory, EntityKey{persistence_id, entity_id}, check_target);
  };
}

}  // namespace cloudstate
