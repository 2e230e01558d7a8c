#include "function/value_entity_adapter.h"

#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "entity/recording_context.h"
#include "function/handler_outcome.h"

namespace cloudstate::function {
namespace {

// Holds the command's working copy of the state; the adapter's copy changes only on success.
class Context final : public RecordingContext<ValueCommandContext> {
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

Result<std::unique_ptr<ValueEntity>> Create(const ValueEntityFactory& factory,
                                            const google::protobuf::ServiceDescriptor& service,
                                            const std::string& entity_id) {
  std::string label = "the factory of " + service.full_name() + " (entity \"" + entity_id + "\")";
  std::unique_ptr<ValueEntity> entity;
  try {
    entity = factory(entity_id);
  } catch (const std::exception& e) {
    return Status::Internal(label + " threw: " + e.what());
  } catch (...) {
    return Status::Internal(label + " threw");
  }
  if (!entity) return Status::Internal(label + " returned no entity");
  return entity;
}

class ValueEntityAdapter final : public ValueInstance {
 public:
  ValueEntityAdapter(const Registry& registry, const google::protobuf::ServiceDescriptor& service,
                     std::shared_ptr<const ValueEntityFactory> factory, std::string entity_id, std::unique_ptr<ValueEntity> entity,
                     std::optional<google::protobuf::Any> state)
      : registry_(registry),
        service_(service),
        factory_(std::move(factory)),
        entity_id_(std::move(entity_id)),
        entity_(std::move(entity)),
        state_(std::move(state)) {}

  ValueResult HandleCommand(const CommandIn& in) override {
    ValueResult result;
    if (!entity_) {
      result.outcome = Outcome::Failure(Label() + " could not be recreated after a failure", true);
      return result;
    }
    EntityCommand command{service_.full_name(), in.entity_id, in.method->name(), in.payload, in.metadata};
    Context context(command, in.id, state_);
    context.RunHandler([&] { entity_->HandleCommand(command.payload, context); });

    bool failed = context.failed();
    bool broken = context.broken();
    CommandOutcome outcome = context.TakeOutcome(Label());
    if (!failed && !broken) {
      if (Status unroutable = CheckTargets(outcome, registry_); !unroutable.ok()) {
        outcome = CommandOutcome::Failed(std::move(unroutable), false);
        failed = true;
      }
    }
    if (broken) Restart(outcome.reply.status().message());
    if (!failed && !broken && context.changed()) {
      state_ = std::move(context.state());
      if (state_) {
        result.action = ValueResult::StateAction::kUpdate;
        result.state = *state_;
      } else {
        result.action = ValueResult::StateAction::kDelete;
      }
    }
    result.outcome = ToOutcome(std::move(outcome), *in.method);
    return result;
  }

 private:
  std::string Label() const { return "value entity " + service_.full_name() + "/" + entity_id_; }

  // The state lives here, not in the handler, so a fresh handler on the same state is a full
  // restart; the failure still carries restart = true for a proxy that reloads value entities too.
  void Restart(const std::string& reason) {
    if (registry_.log) registry_.log(LogLevel::kWarning, reason);
    Result<std::unique_ptr<ValueEntity>> fresh = Create(*factory_, service_, entity_id_);
    if (fresh.ok()) {
      entity_ = std::move(*fresh);
    } else {
      entity_.reset();
      if (registry_.log) registry_.log(LogLevel::kError, fresh.status().message());
    }
  }

  const Registry& registry_;
  const google::protobuf::ServiceDescriptor& service_;
  const std::shared_ptr<const ValueEntityFactory> factory_;
  const std::string entity_id_;
  std::unique_ptr<ValueEntity> entity_;
  std::optional<google::protobuf::Any> state_;
};

}  // namespace

ValueInstanceFactory MakeValueInstanceFactory(const Registry& registry,
                                              const google::protobuf::ServiceDescriptor& service,
                                              ValueEntityFactory factory) {
  auto shared = std::make_shared<const ValueEntityFactory>(std::move(factory));
  return [&registry, &service, shared](const std::string& entity_id, std::optional<google::protobuf::Any> state)
             -> Result<std::unique_ptr<ValueInstance>> {
    Result<std::unique_ptr<ValueEntity>> entity = Create(*shared, service, entity_id);
    if (!entity.ok()) return entity.status();
    return std::unique_ptr<ValueInstance>(std::make_unique<ValueEntityAdapter>(
        registry, service, shared, entity_id, std::move(*entity), std::move(state)));
  };
}

}  // namespace cloudstate::function
