#include "engine/entity_instance.h"

#include <atomic>
#include <optional>
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

Status EntityInstance::Enqueue(EntityCommand command, ReplyCallback& done, std::shared_ptr<StreamSink> stream,
                               bool* run_here) {
  bool start;
  {
    std::lock_guard lock(mu_);
    if (mailbox_.size() >= mailbox_capacity_) {
      return Status::ResourceExhausted(Label() + " has " + std::to_string(mailbox_.size()) +
                                       " commands waiting; try again later");
    }
    mailbox_.push_back(Pending{std::move(command), std::move(done), std::move(stream)});
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

void EntityInstance::RunNext() {
  Pending pending;
  {
    std::lock_guard lock(mu_);
    pending = std::move(mailbox_.front());
    mailbox_.pop_front();
  }

  if (runtime_ && !runtime_->Alive()) {
    runtime_.reset();
    host_.counters().restarts++;
  }
  if (!runtime_) {
    Status activated = Activate(pending.command.name);
    if (!activated.ok()) {
      if (pending.stream) pending.stream->End(Status::Ok());  // behind the failed reply
      Complete(CommandOutcome::Failed(std::move(activated), false), std::move(pending.done));
      return;
    }
  }

  // The outcome may arrive on another thread, even before Handle has returned. The strand moves on
  // only once both have happened, so Complete never runs (or destroys the runtime, or starts the
  // next command) while Handle is still on the stack.
  struct Completion {
    std::atomic<int> waiting{2};  // the outcome, and Handle's return
    std::optional<CommandOutcome> outcome;
    ReplyCallback done;
  };
  auto completion = std::make_shared<Completion>();
  completion->done = std::move(pending.done);
  auto self = shared_from_this();
  const bool complete_here = runtime_->RunsInline();
  auto arrive = [self, completion, complete_here] {
    if (completion->waiting.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    // A restart reloads from the store: that belongs on a worker, as does every outcome that may
    // have arrived on a store thread.
    if (complete_here && !completion->outcome->restart) {
      self->Complete(std::move(*completion->outcome), std::move(completion->done));
      return;
    }
    self->host_.env().Schedule([self, completion] {
      self->Complete(std::move(*completion->outcome), std::move(completion->done));
    });
  };
  auto on_outcome = [completion, arrive](CommandOutcome outcome) {
    completion->outcome = std::move(outcome);
    arrive();
  };
  if (pending.stream) {
    runtime_->HandleStreamed(pending.command, next_command_id_++, std::move(pending.stream), std::move(on_outcome));
  } else {
    runtime_->Handle(pending.command, next_command_id_++, std::move(on_outcome));
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

void EntityInstance::Complete(CommandOutcome outcome, ReplyCallback done) {
  if (outcome.persisted) host_.counters().journal_writes++;
  if (outcome.restart && runtime_) {
    runtime_.reset();
    host_.counters().restarts++;
    // The status already names the entity and the command.
    host_.Log(LogLevel::kWarning, "restart: " + outcome.reply.status().ToString());
    // At once, as the reference does: the user function sees a new stream replay the journal
    // before anything else reaches the entity. Still on the strand, so no command overtakes it.
    Activate("restart").IgnoreError();  // logged there; the next command tries again
  }
  ScheduleNextOrIdle();
  // Last: releasing may complete the final in-flight command, after which the engine may go away.
  host_.Release(std::move(outcome), std::move(done));
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
