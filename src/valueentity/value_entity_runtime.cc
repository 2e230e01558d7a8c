#include "valueentity/value_entity_runtime.h"

#include <algorithm>
#include <utility>

#include "entity/batch_write.h"
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

size_t ValueEntityRuntime::MaxBatch() const { return kMaxCommandsPerWrite; }

void ValueEntityRuntime::Handle(const EntityCommand& command, int64_t command_id, OutcomeCallback done) {
  HandleBatch(std::span(&command, 1), command_id, [done = std::move(done)](std::vector<CommandOutcome> outcomes) {
    done(std::move(outcomes.front()));
  });
}

CommandOutcome ValueEntityRuntime::HandleOne(const EntityCommand& command, int64_t command_id, bool* changed) {
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
  if (write) {
    // Assume the write succeeds so the next command sees the new state; if it fails, so does every
    // command that saw this state, and the entity restarts.
    stored_.value = std::move(context.state());
    *changed = true;
  }
  return outcome;
}

void ValueEntityRuntime::HandleBatch(std::span<const EntityCommand> commands, int64_t first_command_id,
                                     BatchOutcomeCallback done) {
  std::vector<CommandOutcome> outcomes;
  outcomes.reserve(commands.size());
  size_t first_writer = commands.size();  // the first command whose change is in the write
  for (size_t i = 0; i < commands.size(); ++i) {
    bool changed = false;
    outcomes.push_back(HandleOne(commands[i], first_command_id + static_cast<int64_t>(i), &changed));
    if (changed) first_writer = std::min(first_writer, i);
    if (outcomes.back().restart) break;  // the rest wait for the reloaded entity
  }
  if (first_writer == commands.size()) {
    done(std::move(outcomes));
    return;
  }

  ValueWrite write{key_, stored_.version, stored_.value};
  stored_.version += 1;
  values_.Write(std::move(write), [this, outcomes = std::move(outcomes), first_writer,
                                   done = std::move(done)](Status status) mutable {
    SettleBatchWrite(outcomes, first_writer, status, [this] { return Label() + " could not persist its state: "; });
    done(std::move(outcomes));
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
