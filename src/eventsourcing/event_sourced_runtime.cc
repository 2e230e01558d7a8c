#include "eventsourcing/event_sourced_runtime.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "entity/batch_write.h"
#include "entity/recording_context.h"

namespace cloudstate {

// The context handed to the user's command handler: records emitted events and applies each one
// to the entity as it is emitted, as the support libraries of the protocol do.
class EventSourcedRuntime::Context final : public RecordingContext<EventSourcedCommandContext> {
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
    Status applied;
    try {
      applied = entity_.HandleEvent(event, sequence_ + 1);
    } catch (const std::exception& e) {
      applied = Status::Internal(std::string("threw: ") + e.what());
    } catch (...) {
      applied = Status::Internal("threw a non-standard exception");
    }
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

EventSourcedRuntime::EventSourcedRuntime(Journal& journal, EventSourcedFactory factory,
                                         EventSourcedSettings settings)
    : journal_(journal), factory_(std::move(factory)), settings_(std::move(settings)) {}

std::string EventSourcedRuntime::Label() const {
  return "entity " + settings_.key.persistence_id + "/" + settings_.key.entity_id;
}

Status EventSourcedRuntime::Activate() {
  try {
    Status status = Recover();
    if (!status.ok()) entity_.reset();
    return status;
  } catch (const std::exception& e) {
    entity_.reset();
    return Status::Internal(Label() + " threw while recovering: " + e.what());
  } catch (...) {
    entity_.reset();
    return Status::Internal(Label() + " threw while recovering");
  }
}

Status EventSourcedRuntime::Recover() {
  entity_ = factory_(settings_.key.entity_id);
  if (!entity_) return Status::Internal("the factory of " + Label() + " returned no entity");
  sequence_ = 0;

  Result<std::optional<Snapshot>> snapshot = journal_.LoadSnapshot(settings_.key);
  if (!snapshot.ok()) return snapshot.status();
  if (snapshot->has_value()) {
    const Snapshot& loaded = **snapshot;
    Status status = entity_->HandleSnapshot(loaded.state, loaded.sequence);
    if (!status.ok()) return Status::Internal(Label() + " rejected its snapshot: " + status.ToString());
    sequence_ = loaded.sequence;
  }

  Status replay_status;
  Status read = journal_.ReadEvents(settings_.key, sequence_ + 1, [&](const StoredEvent& event) {
    if (event.sequence != sequence_ + 1) {
      replay_status = Status::Corruption(Label() + " journal skips from sequence " + std::to_string(sequence_) +
                                         " to " + std::to_string(event.sequence));
      return false;
    }
    replay_status = entity_->HandleEvent(event.payload, event.sequence);
    if (!replay_status.ok()) {
      replay_status = Status::Internal(Label() + " rejected event " + std::to_string(event.sequence) +
                                       " on replay: " + replay_status.ToString());
      return false;
    }
    sequence_ = event.sequence;
    return true;
  });
  if (!read.ok()) return read;
  return replay_status;
}

bool EventSourcedRuntime::SnapshotDue(int64_t before, int64_t after) const {
  int n = settings_.snapshot_every;
  return n > 0 && before / n != after / n;
}

size_t EventSourcedRuntime::MaxBatch() const { return kMaxCommandsPerWrite; }

void EventSourcedRuntime::Handle(const EntityCommand& command, int64_t command_id, OutcomeCallback done) {
  HandleBatch(std::span(&command, 1), command_id, [done = std::move(done)](std::vector<CommandOutcome> outcomes) {
    done(std::move(outcomes.front()));
  });
}

CommandOutcome EventSourcedRuntime::HandleOne(const EntityCommand& command, int64_t command_id,
                                              std::vector<google::protobuf::Any>& events) {
  Context context(command, command_id, *entity_, sequence_);
  context.RunHandler([&] { entity_->HandleCommand(command.payload, context); });

  bool emitted = !context.events().empty();
  bool failed = context.failed();
  CommandOutcome outcome = context.TakeOutcome([this] { return Label(); });
  if (!failed && !outcome.restart) {
    if (Status unroutable = CheckTargets(outcome, settings_.check_target); !unroutable.ok()) {
      outcome = CommandOutcome::Failed(std::move(unroutable), false);
      failed = true;
    }
  }
  // A failed command persists nothing, but its events were already applied: reload.
  if (failed && emitted) outcome.restart = true;
  if (outcome.restart || failed || !emitted) return outcome;

  // Assume the append succeeds so the next command sees the new sequence; if it fails, so does
  // every command that saw these events, and the entity restarts.
  sequence_ = context.Sequence();
  for (google::protobuf::Any& event : context.events()) events.push_back(std::move(event));
  return outcome;
}

void EventSourcedRuntime::HandleBatch(std::span<const EntityCommand> commands, int64_t first_command_id,
                                      BatchOutcomeCallback done) {
  std::vector<CommandOutcome> outcomes;
  outcomes.reserve(commands.size());
  JournalWrite write;
  write.key = settings_.key;
  write.expected_sequence = sequence_;
  size_t first_writer = commands.size();  // the first command whose events are in `write`
  for (size_t i = 0; i < commands.size(); ++i) {
    const size_t events_before = write.events.size();
    outcomes.push_back(HandleOne(commands[i], first_command_id + static_cast<int64_t>(i), write.events));
    if (write.events.size() > events_before) first_writer = std::min(first_writer, i);
    if (outcomes.back().restart) break;  // the rest wait for the reloaded entity
  }
  if (write.events.empty()) {
    done(std::move(outcomes));
    return;
  }

  // The snapshot is of the state after every event in `write`; one left by a command that asked
  // for a restart is not trusted.
  if (!outcomes.back().restart && SnapshotDue(write.expected_sequence, sequence_)) {
    // A snapshot that cannot be taken is skipped: the events alone are complete. The entity threw,
    // though, so its state is no longer trusted and it is reloaded after this batch.
    try {
      write.snapshot = entity_->Snapshot();
    } catch (...) {
      write.snapshot.reset();
      outcomes.back().restart = true;
    }
  }
  journal_.Append(std::move(write), [this, outcomes = std::move(outcomes), first_writer,
                                     done = std::move(done)](Status status) mutable {
    SettleBatchWrite(outcomes, first_writer, status, [this] { return Label() + " could not persist its events: "; });
    done(std::move(outcomes));
  });
}

EntityRuntimeFactory MakeEventSourcedRuntimeFactory(Journal& journal, EventSourcedFactory factory,
                                                    std::string persistence_id, int snapshot_every,
                                                    TargetCheck check_target) {
  return [&journal, factory = std::move(factory), persistence_id = std::move(persistence_id), snapshot_every,
          check_target = std::move(check_target)](const std::string& entity_id) -> std::unique_ptr<EntityRuntime> {
    EventSourcedSettings settings{EntityKey{persistence_id, entity_id}, snapshot_every, check_target};
    return std::make_unique<EventSourcedRuntime>(journal, factory, std::move(settings));
  };
}

}  // namespace cloudstate
