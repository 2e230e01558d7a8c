#include "crdtentity/crdt_core.h"

#include <utility>

#include "crdt/protocol_view.h"
#include "crdt/state_action.h"
#include "crdt/state_codec.h"

namespace cloudstate::crdtentity {
namespace {

namespace pb = ::cloudstate::crdt;

// The descriptions callers get, as the reference words them (semantics.md §7.4.12).
constexpr char kTerminating[] = "Entity terminating";
constexpr char kDeleted[] = "Entity deleted";
constexpr char kConsistencyFailed[] = "Failed to update CRDT at requested write consistency";

ReplicaConsistency ConsistencyOf(const std::optional<pb::CrdtStateAction>& action) {
  if (!action) return ReplicaConsistency::kLocal;
  switch (action->write_consistency()) {
    case pb::MAJORITY: return ReplicaConsistency::kMajority;
    case pb::ALL: return ReplicaConsistency::kAll;
    default: return ReplicaConsistency::kLocal;
  }
}

bool SendsSomething(const CommandOutcome& outcome) {
  return outcome.forward || !outcome.reply.ok() || outcome.reply->payload || !outcome.side_effects.empty();
}

}  // namespace

CrdtCore::CrdtCore(std::shared_ptr<const CrdtTypeContext> type, std::string entity_id)
    : type_(std::move(type)), entity_id_(std::move(entity_id)) {}

std::string CrdtCore::Label() const { return type_->label + "/" + entity_id_; }

void CrdtCore::Post(std::function<void()> task) {
  if (auto self = weak_self_.lock()) self->queue_.Post(std::move(task));
}

std::vector<replicated::ReplicaId> CrdtCore::Voters() const {
  std::vector<replicated::ReplicaId> voters;
  for (std::string& member : type_->replicator->UpMembers()) voters.emplace_back(std::move(member));
  return voters;
}

std::optional<pb::CrdtDelta> CrdtCore::ViewOf(const std::optional<replicated::Crdt>& crdt,
                                              const std::vector<replicated::ReplicaId>& voters) const {
  if (!crdt) return std::nullopt;
  return crdt->View(voters);
}

Status CrdtCore::Activate() {
  weak_self_ = weak_from_this();
  self_ = replicated::ReplicaId(type_->replicator->SelfId());
  auto post = [weak = weak_self_](std::function<void()> task) {
    if (auto self = weak.lock()) self->queue_.Post(std::move(task));
  };
  auto current = [this]() -> std::optional<replicated::CrdtState> {
    if (!replica_) return std::nullopt;
    return replica_->FullState();
  };
  auto adopt = [this](const replicated::CrdtState& theirs) {
    if (!replica_) {
      if (!deleted_) replica_.emplace(self_, theirs);
    } else if (Status merged = replica_->Merge(theirs); !merged.ok()) {
      type_->log(LogLevel::kWarning, Label() + ": kept its state over a stored one of another kind");
    }
  };
  durable_ = std::make_unique<CrdtDurable>(*type_->values, EntityKey{type_->persistence_id, entity_id_}, post,
                                           current, adopt);
  Result<std::optional<replicated::CrdtState>> loaded = durable_->Load();
  if (!loaded.ok()) return Status(loaded.status().code(), Label() + " could not load its state: " + loaded.status().message());
  if (*loaded) replica_.emplace(self_, **loaded);
  told_ = replica_;
  told_voters_ = Voters();

  CrdtPortEvents events;
  events.on_answer = [weak = weak_self_](CrdtAnswer answer) {
    if (auto self = weak.lock()) {
      self->queue_.Post([self, answer = std::move(answer)]() mutable { self->OnAnswer(std::move(answer)); });
    }
  };
  // The port words what went wrong for the function; a relay timeout keeps its code for the
  // callers, as it does for event-sourced and value entities.
  events.on_failure = [weak = weak_self_](Status status) {
    if (auto self = weak.lock()) {
      self->queue_.Post([self, status = std::move(status)] {
        if (self->stopped_ || self->deleted_ || self->dead_) return;
        self->Violation(status.message(), status.code() == StatusCode::kDeadlineExceeded
                                              ? Status::DeadlineExceeded(kTerminating)
                                              : Status::CommandFailed(kTerminating));
      });
    }
  };
  Result<std::unique_ptr<CrdtPort>> port = type_->open_port(entity_id_, std::move(events));
  if (!port.ok()) return port.status();
  port_ = std::move(*port);
  port_->Init(ViewOf(replica_, told_voters_));
  return Status::Ok();
}

void CrdtCore::Handle(const EntityCommand& command, int64_t command_id, std::shared_ptr<StreamSink> stream,
                      OutcomeCallback done) {
  Post([this, command, command_id, stream = std::move(stream), done = std::move(done)]() mutable {
    if (dead_ || deleted_ || stopped_ || !port_) {
      if (stream) stream->End(Status::Ok());
      done(CommandOutcome::Failed(Status::CommandFailed(deleted_ ? kDeleted : kTerminating), false));
      return;
    }
    if (stream) {
      stream->OnCancel([weak = weak_self_, command_id] {
        if (auto self = weak.lock()) self->queue_.Post([self, command_id] { self->StartCancel(command_id); });
      });
    }
    waiting_[command_id] = Waiting{command.name, std::move(done), stream, false};
    ++busy_;
    port_->Command(command, command_id, stream != nullptr);
  });
}

void CrdtCore::OnAnswer(CrdtAnswer answer) {
  if (dead_) return;
  switch (answer.kind) {
    case CrdtAnswer::Kind::kReply: return OnReply(std::move(answer));
    case CrdtAnswer::Kind::kStreamed: return OnStreamed(std::move(answer));
    case CrdtAnswer::Kind::kCancelled: return OnCancelledAnswer(std::move(answer));
  }
}

void CrdtCore::OnReply(CrdtAnswer answer) {
  const int64_t id = answer.command_id;
  auto it = waiting_.find(id);
  if (it == waiting_.end()) {
    return Violation("Received reply for entity id " + entity_id_ + " for unknown command " + std::to_string(id),
                     Status::CommandFailed(kTerminating));
  }
  if (answer.streamed && !it->second.stream) {
    return Violation("Streamed reply to non streamed command " + std::to_string(id),
                     Status::CommandFailed(kTerminating));
  }
  // Before the command leaves waiting_: a violation fails it with the others.
  Result<replicated::StateActionOutcome> applied = Apply(answer.state_action);
  if (!applied.ok()) {
    return Violation("Received an invalid state action for command " + std::to_string(id) + ": " +
                         applied.status().message(),
                     Status::CommandFailed(kTerminating));
  }
  Waiting waiting = std::move(it->second);
  waiting_.erase(it);
  auto shared = std::make_shared<CrdtAnswer>(std::move(answer));
  auto held = std::make_shared<Waiting>(std::move(waiting));
  Persist(*applied, ConsistencyOf(shared->state_action), [this, shared, held, id](Status status) {
    if (!status.ok()) {
      if (held->stream) held->stream->End(Status::Ok());
      held->done(CommandOutcome::Failed(status, false));
      return Crash("could not store or publish the state action of command " + std::to_string(id) + ": " + status.ToString(),
                   Status::CommandFailed(kTerminating));
    }
    bool keep = held->stream && shared->streamed && !deleted_ && !stopped_;
    if (keep) {
      streams_[id] = held->stream;
      ++open_streams_;
    } else if (held->stream) {
      held->stream->End(Status::Ok());
    }
    shared->outcome.persisted = shared->state_action.has_value();
    held->done(std::move(shared->outcome));
    if (keep && held->cancel_requested) StartCancel(id);
    OperationFinished();
  });
}

void CrdtCore::OnStreamed(CrdtAnswer answer) {
  const int64_t id = answer.command_id;
  std::shared_ptr<StreamSink> sink;
  auto open = streams_.find(id);
  if (open != streams_.end()) {
    sink = open->second;
  } else if (auto closing = cancelling_.find(id); closing != cancelling_.end()) {
    sink = closing->second;  // the caller is gone: only side effects still run
  } else {
    // Only reported and ignored, as the reference does (semantics.md §7.4.9).
    const std::string message = "Received streamed message for unknown command id: " + std::to_string(id);
    type_->log(LogLevel::kWarning, Label() + ": " + message);
    if (type_->report_error) type_->report_error(message);
    return;
  }
  bool ends = answer.end_stream || !answer.outcome.reply.ok();
  if (SendsSomething(answer.outcome)) sink->Send(std::move(answer.outcome));
  if (ends && open != streams_.end()) {
    sink->End(Status::Ok());
    streams_.erase(open);
    --open_streams_;
  }
}

void CrdtCore::StartCancel(int64_t command_id) {
  if (auto it = waiting_.find(command_id); it != waiting_.end()) {
    it->second.cancel_requested = true;  // told once the reply is in
    return;
  }
  auto it = streams_.find(command_id);
  if (it == streams_.end()) return;
  std::shared_ptr<StreamSink> sink = it->second;
  streams_.erase(it);
  --open_streams_;
  if (dead_ || deleted_ || stopped_ || !port_) return;
  cancelling_[command_id] = std::move(sink);
  ++busy_;
  port_->Cancelled(command_id);
}

void CrdtCore::OnCancelledAnswer(CrdtAnswer answer) {
  const int64_t id = answer.command_id;
  auto it = cancelling_.find(id);
  if (it == cancelling_.end()) {
    return Violation("Received a stream cancelled response for command " + std::to_string(id) +
                         ", whose stream is not closing",
                     Status::CommandFailed(kTerminating));
  }
  Result<replicated::StateActionOutcome> applied = Apply(answer.state_action);
  if (!applied.ok()) {
    return Violation("Received an invalid state action for cancelled command " + std::to_string(id) + ": " +
                         applied.status().message(),
                     Status::CommandFailed(kTerminating));
  }
  std::shared_ptr<StreamSink> sink = std::move(it->second);
  cancelling_.erase(it);
  auto shared = std::make_shared<CrdtAnswer>(std::move(answer));
  Persist(*applied, ConsistencyOf(shared->state_action), [this, shared, sink, id](Status status) {
    if (!status.ok()) {
      return Crash("could not store or publish the state action of cancelled command " + std::to_string(id) + ": " +
                       status.ToString(),
                   Status::CommandFailed(kTerminating));
    }
    if (!shared->outcome.side_effects.empty()) {
      CommandOutcome effects;
      effects.side_effects = std::move(shared->outcome.side_effects);
      sink->Send(std::move(effects));
    }
    OperationFinished();
  });
}

Result<replicated::StateActionOutcome> CrdtCore::Apply(const std::optional<pb::CrdtStateAction>& action) {
  if (!action) return replicated::StateActionOutcome::kNone;
  // The protocol has no use for it; the value entity's bridge treats the same as a violation.
  if (action->action_case() == pb::CrdtStateAction::ACTION_NOT_SET) {
    return Status::InvalidArgument("neither update nor delete");
  }
  const int64_t now = type_->now_ms();
  Result<replicated::StateActionOutcome> applied = replicated::ApplyStateAction(replica_, self_, *action, now);
  if (!applied.ok()) return applied;
  // The function applied the same action to its value: replay it on what we believe it holds.
  if (!replicated::ApplyStateAction(told_, self_, *action, now).ok()) told_ = replica_;
  if (told_) (void)told_->TakeDelta();
  return applied;
}

void CrdtCore::Persist(replicated::StateActionOutcome applied, ReplicaConsistency consistency,
                       std::function<void(Status)> then) {
  switch (applied) {
    case replicated::StateActionOutcome::kNone:
      return then(Status::Ok());
    case replicated::StateActionOutcome::kUpdated: {
      std::string delta = replicated::EncodeCrdtState(replica_->TakeDelta());
      durable_->Save([this, delta = std::move(delta), consistency, then = std::move(then)](Status status) mutable {
        if (!status.ok()) return then(status);
        Publish(std::move(delta), consistency, std::move(then));
      });
      return;
    }
    case replicated::StateActionOutcome::kDeleted:
      EnterDeleted();
      if (port_) port_->Close();
      durable_->Save([this, consistency, then = std::move(then)](Status status) mutable {
        if (!status.ok()) return then(status);
        Publish(std::nullopt, consistency, std::move(then));
      });
      return;
  }
}

void CrdtCore::Publish(std::optional<std::string> delta, ReplicaConsistency consistency,
                       std::function<void(Status)> then) {
  auto acknowledged = [weak = weak_self_, then = std::move(then)](Status status) mutable {
    auto self = weak.lock();
    if (!self) return;
    self->queue_.Post([then = std::move(then), status = std::move(status)]() mutable {
      then(status.ok() ? status : Status(status.code(), kConsistencyFailed));
    });
  };
  if (delta) {
    type_->replicator->Publish(type_->persistence_id, entity_id_, std::move(*delta), consistency, std::move(acknowledged));
  } else {
    type_->replicator->PublishDelete(type_->persistence_id, entity_id_, consistency, std::move(acknowledged));
  }
}

void CrdtCore::OperationFinished() {
  if (busy_ > 0) --busy_;
  PushChanges();
}

void CrdtCore::PushChanges() {
  if (busy_ > 0 || deleted_ || stopped_ || dead_ || !port_ || !replica_) return;
  std::vector<replicated::ReplicaId> voters = Voters();
  pb::CrdtDelta now_view = replica_->View(voters);
  if (!told_) {
    port_->Delta(now_view);
  } else {
    replicated::ViewChange change = replicated::DiffViews(told_->View(told_voters_), now_view);
    if (change.kind == replicated::ViewChange::kIncompatible) {
      return Crash("the CRDT changed in a way the user function's value cannot follow",
                   Status::CommandFailed(kTerminating));
    }
    if (change.kind == replicated::ViewChange::kUpdated) port_->Delta(change.delta);
  }
  told_ = replica_;
  told_voters_ = std::move(voters);
}

void CrdtCore::RemoteDelta(std::string encoded) {
  Post([this, encoded = std::move(encoded)] {
    if (deleted_ || dead_ || stopped_) return;
    Result<replicated::CrdtState> state = replicated::DecodeCrdtState(encoded);
    if (!state.ok()) {
      type_->log(LogLevel::kWarning, Label() + ": dropped an unreadable delta: " + state.status().ToString());
      return;
    }
    if (!replica_) {
      replica_.emplace(self_, *state);
    } else if (Status merged = replica_->Merge(*state); !merged.ok()) {
      type_->log(LogLevel::kWarning, Label() + ": dropped a delta of another kind: " + merged.ToString());
      return;
    }
    durable_->Save([this](Status status) {
      if (!status.ok()) type_->log(LogLevel::kError, Label() + ": could not store a replicated change: " + status.ToString());
    });
    PushChanges();
  });
}

void CrdtCore::RemoteDelete() {
  Post([this] {
    if (deleted_ || dead_ || stopped_) return;
    replica_.reset();
    told_.reset();
    EnterDeleted();
    if (port_) port_->Delete();
    durable_->Save([this](Status status) {
      if (!status.ok()) type_->log(LogLevel::kError, Label() + ": could not store a replicated delete: " + status.ToString());
    });
  });
}

void CrdtCore::MembersChanged() {
  Post([this] { PushChanges(); });
}

void CrdtCore::EnterDeleted() {
  deleted_ = true;
  EndStreams(Status::Ok());
}

void CrdtCore::EndStreams(const Status& status) {
  open_streams_ -= static_cast<int>(streams_.size());
  for (auto& [id, sink] : streams_) sink->End(status);
  streams_.clear();
  for (auto& [id, sink] : cancelling_) sink->End(status);
  cancelling_.clear();
}

void CrdtCore::Violation(const std::string& message, Status status) {
  if (dead_) return;
  if (type_->report_error) type_->report_error(message);
  Crash(message, std::move(status));
}

void CrdtCore::Crash(const std::string& reason, Status status) {
  if (dead_.exchange(true)) return;
  std::map<int64_t, Waiting> waiting = std::move(waiting_);
  waiting_.clear();
  // One line, naming the commands it fails as event-sourced and value entities do.
  std::string about;
  for (const auto& [id, entry] : waiting) {
    about += (about.empty() ? ", command " : ", ") + entry.name + " (id " + std::to_string(id) + ")";
  }
  type_->log(LogLevel::kError, Label() + about + ": " + status.message() + ": " + reason);
  for (auto& [id, entry] : waiting) {
    if (entry.stream) entry.stream->End(Status::Ok());
    entry.done(CommandOutcome::Failed(status, false));
  }
  EndStreams(status);
  if (port_) port_->Close();
}

void CrdtCore::Stop() {
  Post([this] {
    if (stopped_) return;
    stopped_ = true;
    EndStreams(Status::Ok());
    if (port_) port_->Close();
  });
}

}  // namespace cloudstate::crdtentity
