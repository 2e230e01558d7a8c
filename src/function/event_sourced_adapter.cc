#include "function/event_sourced_adapter.h"

#include <exception>
#include <optional>
#include <utility>
#include <vector>

#include "entity/recording_context.h"
#include "function/handler_outcome.h"

namespace cloudstate::function {
namespace {

// Runs `fn` (returning Status), turning an exception into Internal.
template <typename Fn>
Status Guarded(Fn&& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return Status::Internal(std::string("threw: ") + e.what());
  } catch (...) {
    return Status::Internal("threw a non-standard exception");
  }
}

// The context of one command: records the handler's ending and applies each emitted event to the
// entity as it is emitted, so the handler sees its own events.
class Context final : public RecordingContext<EventSourcedCommandContext> {
 public:
  Context(const EntityCommand& command, int64_t command_id, EventSourcedEntity& entity, int64_t sequence)
      : RecordingContext(command, command_id), entity_(entity), sequence_(sequence) {}

  void Emit(google::protobuf::Any event) override {
    if (broken()) return;
    if (event.type_url().empty()) {
      MarkBroken("emitted an event without a type URL");
      return;
    }
    // Caught here, not by the command handler: a handler that swallows it must not hide it.
    Status applied = Guarded([&] { return entity_.HandleEvent(event, sequence_ + 1); });
    if (!applied.ok()) {
      MarkBroken("its event handler rejected an emitted event: " + applied.ToString());
      return;
    }
    sequence_ += 1;
    events_.push_back(std::move(event));
  }

  int64_t Sequence() const override { return sequence_; }
  std::vector<google::protobuf::Any>& events() { return events_; }

 private:
  EventSourcedEntity& entity_;
  int64_t sequence_;
  std::vector<google::protobuf::Any> events_;
};

class EventSourcedAdapter final : public EventSourcedInstance {
 public:
  EventSourcedAdapter(const Registry& registry, const google::protobuf::ServiceDescriptor& service,
                      std::string entity_id, std::unique_ptr<EventSourcedEntity> entity, int snapshot_every)
      : registry_(registry),
        service_(service),
        entity_id_(std::move(entity_id)),
        entity_(std::move(entity)),
        snapshot_every_(snapshot_every) {}

  Status ApplySnapshot(const google::protobuf::Any& snapshot, int64_t sequence) override {
    Status status = Guarded([&] { return entity_->HandleSnapshot(snapshot, sequence); });
    if (status.ok()) sequence_ = sequence;
    return status;
  }

  Status ApplyEvent(const google::protobuf::Any& event, int64_t sequence) override {
    Status status = Guarded([&] { return entity_->HandleEvent(event, sequence); });
    if (status.ok()) sequence_ = sequence;
    return status;
  }

  EventSourcedResult HandleCommand(const CommandIn& in) override {
    EntityCommand command{service_.full_name(), in.entity_id, in.method->name(), in.payload, in.metadata};
    Context context(command, in.id, *entity_, sequence_);
    context.RunHandler([&] { entity_->HandleCommand(command.payload, context); });

    bool emitted = !context.events().empty();
    bool failed = context.failed();
    bool broken = context.broken();
    CommandOutcome outcome = context.TakeOutcome(Label());
    if (!failed && !broken) {
      if (Status unroutable = CheckTargets(outcome, registry_); !unroutable.ok()) {
        outcome = CommandOutcome::Failed(std::move(unroutable), false);
        failed = true;
      }
    }
    // The emitted events are applied but will not be persisted: only a reload can undo them.
    if (failed && emitted) outcome.restart = true;
    if (broken) Log(LogLevel::kWarning, outcome.reply.status().message());

    EventSourcedResult result;
    if (failed || broken) {
      result.outcome = ToOutcome(std::move(outcome), *in.method);
      return result;
    }
    int64_t before = sequence_;
    sequence_ = context.Sequence();
    result.events = std::move(context.events());
    if (SnapshotDue(before, sequence_)) result.snapshot = TakeSnapshot();
    result.outcome = ToOutcome(std::move(outcome), *in.method);
    return result;
  }

 private:
  std::string Label() const { return "entity " + service_.full_name() + "/" + entity_id_; }

  void Log(LogLevel level, const std::string& message) const {
    if (registry_.log) registry_.log(level, message);
  }

  bool SnapshotDue(int64_t before, int64_t after) const {
    return snapshot_every_ > 0 && before / snapshot_every_ != after / snapshot_every_;
  }

  // A snapshot that cannot be taken is skipped: the events alone are complete, and the state they
  // produced was applied without error.
  std::optional<google::protobuf::Any> TakeSnapshot() {
    try {
      std::optional<google::protobuf::Any> snapshot = entity_->Snapshot();
      if (snapshot && snapshot->type_url().empty()) {
        Log(LogLevel::kWarning, Label() + ": snapshot without a type URL skipped");
        return std::nullopt;
      }
      return snapshot;
    } catch (const std::exception& e) {
      Log(LogLevel::kWarning, Label() + ": Snapshot() threw, snapshot skipped: " + e.what());
    } catch (...) {
      Log(LogLevel::kWarning, Label() + ": Snapshot() threw, snapshot skipped");
    }
    return std::nullopt;
  }

  const Registry& registry_;
  const google::protobuf::ServiceDescriptor& service_;
  const std::string entity_id_;
  const std::unique_ptr<EventSourcedEntity> entity_;
  const int snapshot_every_;
  int64_t sequence_ = 0;
};

}  // namespace

EventSourcedInstanceFactory MakeEventSourcedInstanceFactory(const Registry& registry,
                                                            const google::protobuf::ServiceDescriptor& service,
                                                            EventSourcedFactory factory, int snapshot_every) {
  return [&registry, &service, factory = std::move(factory),
          snapshot_every](const std::string& entity_id) -> Result<std::unique_ptr<EventSourcedInstance>> {
    std::string label = "the factory of " + service.full_name() + " (entity \"" + entity_id + "\")";
    std::unique_ptr<EventSourcedEntity> entity;
    try {
      entity = factory(entity_id);
    } catch (const std::exception& e) {
      return Status::Internal(label + " threw: " + e.what());
    } catch (...) {
      return Status::Internal(label + " threw");
    }
    if (!entity) return Status::Internal(label + " returned no entity");
    return std::unique_ptr<EventSourcedInstance>(
        std::make_unique<EventSourcedAdapter>(registry, service, entity_id, std::move(entity), snapshot_every));
  };
}

}  // namespace cloudstate::function
