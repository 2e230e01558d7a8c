#include "engine/entity_instance.h"

#include <algorithm>
#include <atomic>
#include <utility>

namespace cloudstate {

EntityInstance::EntityInstance(EntityHost& host, std::shared_ptr<const EntityType> type, std::string entity_id,
                               size_t mailbox_capacity)
    : host_(host),
      type_(std::move(type)),
      entity_id_(std::move(entity_id)),
      mailbox_capacity_(mailbox_capacity),
      last_active_(host.env().Now()) {}

std::string EntityInstance::Label() const { return "entity " + type_->name + "/" + entity_id_; }

Status EntityInstance::Enqueue(EntityCommand&& command, ReplyCallback& done, std::shared_ptr<StreamSink> stream,
                               bool* run_here) {
  bool start;
  {
    std::lock_guard lock(mu_);
    if (mailbox_.size() >= mailbox_capacity_) {
      return Status::ResourceExhausted(Label() + " has " + std::to_string(mailbox_.size()) +
                                       " commands waiting; try again later");
    }
    mailbox_.emplace_back(std::move(command), std::move(done), std::move(stream));
    start = !running_;
    running_ = true;
  }
  if (!start) return Status::Ok();
  // This thread owns the strand now, so it may look at the runtime.
  if (runtime_ && runtime_->Alive() && runtime_->RunsInline()) {
    *run_here = true;
  } else {
    host_.env().Schedule([self = shared_from_this()] { self->RunNext(); });
  }
  return Status::Ok();
}

bool EntityInstance::IdleSince(Env::Clock::time_point now) const {
  std::lock_guard lock(mu_);
  if (running_ || !mailbox_.empty()) return false;
  // runtime_ is only replaced on the strand, which is not running now.
  if (runtime_ && runtime_->HoldsStreams()) return false;
  return now - last_active_ >= type_->passivation_timeout;
}

EntityInstance::Unit EntityInstance::TakeUnit(size_t max) {
  Unit unit;
  std::lock_guard lock(mu_);
  if (mailbox_.front().stream) max = 1;
  max = std::min(max, mailbox_.size());
  unit.commands.reserve(max);
  unit.dones.reserve(max);
  do {
    Pending& pending = mailbox_.front();
    unit.commands.push_back(std::move(pending.command));
    unit.dones.push_back(std::move(pending.done));
    unit.stream = std::move(pending.stream);
    mailbox_.pop_front();
  } while (unit.commands.size() < max && !mailbox_.empty() && !mailbox_.front().stream);
  return unit;
}

// The outcome may arrive on another thread, even before Handle has returned. The strand moves on
// only once both have happened, so Complete never runs (or destroys the runtime, or starts the next
// command) while Handle is still on the stack.
struct EntityInstance::Completion {
  std::atomic<int> waiting{2};  // the outcomes, and Handle's return
  std::vector<CommandOutcome> outcomes;
  Unit unit;
};

void EntityInstance::RunNext() {
  if (runtime_ && !runtime_->Alive()) {
    runtime_.reset();
    host_.counters().restarts++;
  }
  if (!runtime_) {
    std::string reason;
    {
      std::lock_guard lock(mu_);
      reason = mailbox_.front().command.name;
    }
    if (Status activated = Activate(reason); !activated.ok()) {
      Unit unit = TakeUnit(1);
      if (unit.stream) unit.stream->End(Status::Ok());  // behind the failed reply
      std::vector<CommandOutcome> outcomes;
      outcomes.push_back(CommandOutcome::Failed(std::move(activated), false));
      Complete(std::move(outcomes), std::move(unit));
      return;
    }
  }

  auto completion = std::make_shared<Completion>();
  completion->unit = TakeUnit(runtime_->MaxBatch());
  auto self = shared_from_this();
  const bool complete_here = runtime_->RunsInline();
  auto arrive = [self, completion, complete_here] {
    if (completion->waiting.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    bool restart = false;
    for (const CommandOutcome& outcome : completion->outcomes) restart = restart || outcome.restart;
    // A restart reloads from the store: that belongs on a worker, as does every outcome that may
    // have arrived on a store thread.
    if (complete_here && !restart) {
      self->Complete(std::move(completion->outcomes), std::move(completion->unit));
      return;
    }
    self->host_.env().Schedule([self, completion] {
      self->Complete(std::move(completion->outcomes), std::move(completion->unit));
    });
  };
  Unit& unit = completion->unit;
  const int64_t first_id = next_command_id_;
  next_command_id_ += static_cast<int64_t>(unit.commands.size());
  if (unit.commands.size() > 1) {
    runtime_->HandleBatch(unit.commands, first_id, [completion, arrive](std::vector<CommandOutcome> outcomes) {
      completion->outcomes = std::move(outcomes);
      arrive();
    });
  } else {
    auto on_outcome = [completion, arrive](CommandOutcome outcome) {
      completion->outcomes.push_back(std::move(outcome));
      arrive();
    };
    if (unit.stream) {
      runtime_->HandleStreamed(unit.commands.front(), first_id, std::move(unit.stream), std::move(on_outcome));
    } else {
      runtime_->Handle(unit.commands.front(), first_id, std::move(on_outcome));
    }
  }
  arrive();
}

Status EntityInstance::Activate(const std::string& reason) {
  runtime_ = type_->runtime_factory(entity_id_);
  Status activated = runtime_->Activate();
  host_.counters().activations++;
  next_command_id_ = 1;
  if (!activated.ok()) {
    runtime_.reset();  // the next command tries again
    host_.Log(LogLevel::kError, Label() + " could not be activated for " + reason + ": " + activated.ToString());
  }
  return activated;
}

void EntityInstance::Complete(std::vector<CommandOutcome> outcomes, Unit unit) {
  const size_t taken = unit.commands.size();
  if (outcomes.empty() || outcomes.size() > taken) {
    // A runtime that broke its contract: fail the oldest command and start the entity afresh.
    std::string what = Label() + " handling " + unit.commands.front().name + ": the runtime returned " +
                       std::to_string(outcomes.size()) + " outcomes for " + std::to_string(taken) +
                       " commands; entity restarted";
    outcomes.clear();
    outcomes.push_back(CommandOutcome::Failed(Status::Internal(std::move(what)), true));
  }
  if (outcomes.size() < taken) {
    std::lock_guard lock(mu_);
    for (size_t i = taken; i-- > outcomes.size();) {
      mailbox_.push_front(Pending{std::move(unit.commands[i]), std::move(unit.dones[i]), nullptr});
    }
  }
  const CommandOutcome* restart = nullptr;  // the first outcome that asks for one
  for (const CommandOutcome& outcome : outcomes) {
    if (outcome.persisted) host_.counters().journal_writes++;
    if (outcome.restart && !restart) restart = &outcome;
  }
  if (restart && runtime_) {
    runtime_.reset();
    host_.counters().restarts++;
    // The status already names the entity and the command; later ones share its cause.
    host_.Log(LogLevel::kWarning, "restart: " + restart->reply.status().ToString());
    // At once, as the reference does: the user function sees a new stream replay the journal
    // before anything else reaches the entity. Still on the strand, so no command overtakes it.
    Activate("restart").IgnoreError();  // logged there; the next command tries again
  }
  ScheduleNextOrIdle();
  // Last: releasing may complete the final in-flight command, after which the engine may go away.
  for (size_t i = 0; i < outcomes.size(); ++i) host_.Release(std::move(outcomes[i]), std::move(unit.dones[i]));
}

void EntityInstance::ScheduleNextOrIdle() {
  bool more;
  {
    std::lock_guard lock(mu_);
    last_active_ = host_.env().Now();
    more = !mailbox_.empty();
    running_ = more;
  }
  if (more) host_.env().Schedule([self = shared_from_this()] { self->RunNext(); });
}

}  // namespace cloudstate
