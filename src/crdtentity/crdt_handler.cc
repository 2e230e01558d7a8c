#include "crdtentity/crdt_handler.h"

#include <exception>
#include <utility>

#include "crdtentity/crdt_codec.h"
#include "crdtentity/crdt_contexts.h"

namespace cloudstate::crdtentity {
namespace {

namespace pb = ::cloudstate::crdt;
using internal::CrdtCodec;

pb::CrdtWriteConsistency ToProtocol(WriteConsistency consistency) {
  switch (consistency) {
    case WriteConsistency::kLocal: return pb::LOCAL;
    case WriteConsistency::kMajority: return pb::MAJORITY;
    case WriteConsistency::kAll: return pb::ALL;
  }
  return pb::LOCAL;
}

// Runs user code, turning an exception into a broken-call reason.
template <typename Fn>
void Guard(std::string& broken, Fn&& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    if (broken.empty()) broken = std::string("threw: ") + e.what();
  } catch (...) {
    if (broken.empty()) broken = "threw a non-standard exception";
  }
}

}  // namespace

CrdtHandler::CrdtHandler(std::unique_ptr<CrdtEntity> entity, std::string entity_id, TargetCheck check_target)
    : entity_(std::move(entity)), entity_id_(std::move(entity_id)), check_target_(std::move(check_target)) {}

CrdtHandler::~CrdtHandler() = default;

std::string CrdtHandler::Label() const { return "CRDT entity " + entity_id_; }

Status CrdtHandler::Init(const std::optional<pb::CrdtDelta>& state) {
  state_.reset();
  if (!state) return Status::Ok();
  Result<std::unique_ptr<CrdtValue>> value = CrdtCodec::FromView(*state);
  if (!value.ok()) return value.status();
  state_ = std::move(*value);
  return Status::Ok();
}

Result<std::vector<CrdtAnswer>> CrdtHandler::Delta(const pb::CrdtDelta& delta) {
  if (!state_) {
    Result<std::unique_ptr<CrdtValue>> value = CrdtCodec::FromView(delta);
    if (!value.ok()) return value.status();
    state_ = std::move(*value);
  } else if (Status status = CrdtCodec::Apply(*state_, delta); !status.ok()) {
    return status;
  }
  std::vector<CrdtAnswer> answers;
  Notify(answers);
  return answers;
}

void CrdtHandler::Delete() {
  state_.reset();
  subscribers_.clear();
}

std::optional<pb::CrdtStateAction> CrdtHandler::Finish(CrdtStateSlotImpl& slot, bool rollback,
                                                       const std::optional<pb::CrdtDelta>& before) {
  if (rollback) {
    state_.reset();
    if (before) state_ = std::move(*CrdtCodec::FromView(*before));  // our own view: cannot fail
    return std::nullopt;
  }
  pb::CrdtStateAction action;
  action.set_write_consistency(ToProtocol(slot.consistency()));
  if (slot.deleted()) {
    state_.reset();
    action.mutable_delete_();
    return action;
  }
  if (!state_) return std::nullopt;
  std::optional<pb::CrdtDelta> delta = CrdtCodec::TakeDelta(*state_);
  if (!delta) return std::nullopt;
  *action.mutable_update() = std::move(*delta);
  return action;
}

std::vector<CrdtAnswer> CrdtHandler::Command(const EntityCommand& command, int64_t command_id, bool streamed) {
  std::vector<CrdtAnswer> answers;
  // The value before the command, to restore if it fails: its changes were made in place.
  std::optional<pb::CrdtDelta> before;
  if (state_) before = CrdtCodec::View(*state_);

  CrdtStateSlotImpl slot(state_);
  CrdtCommandCtxImpl context(command, command_id, streamed, slot);
  context.RunHandler([&] { entity_->HandleCommand(command.payload, context); });
  bool failed = context.failed() || context.broken();
  CommandOutcome outcome = context.TakeOutcome([this] { return Label(); });
  if (!failed) {
    if (Status unroutable = CheckTargets(outcome, check_target_); !unroutable.ok()) {
      outcome = CommandOutcome::Failed(std::move(unroutable), false);
      failed = true;
    }
  }
  outcome.restart = false;  // the state is restored here; nothing to reload

  CrdtAnswer& reply = answers.emplace_back();
  reply.kind = CrdtAnswer::Kind::kReply;
  reply.command_id = command_id;
  reply.state_action = Finish(slot, failed, before);
  reply.streamed = streamed && !failed && context.subscribed() && !slot.deleted();
  reply.outcome = std::move(outcome);
  const bool keep = reply.streamed;
  // Notify appends to `answers`: `reply` is not valid after it.
  if (reply.state_action && reply.state_action->has_update()) Notify(answers);
  if (keep) {
    subscribers_[command_id] = Subscriber{std::move(context.on_change_), std::move(context.on_cancel_)};
  }
  if (slot.deleted()) subscribers_.clear();
  return answers;
}

std::vector<CrdtAnswer> CrdtHandler::Cancelled(int64_t command_id) {
  std::vector<CrdtAnswer> answers;
  CrdtAnswer& answer = answers.emplace_back();
  answer.kind = CrdtAnswer::Kind::kCancelled;
  answer.command_id = command_id;
  auto it = subscribers_.find(command_id);
  if (it == subscribers_.end()) return answers;
  CrdtCancelCallback on_cancel = std::move(it->second.on_cancel);
  subscribers_.erase(it);
  if (!on_cancel) return answers;

  std::optional<pb::CrdtDelta> before;
  if (state_) before = CrdtCodec::View(*state_);
  CrdtStateSlotImpl slot(state_);
  CrdtCancelCtxImpl context(entity_id_, command_id, slot);
  Guard(context.broken_, [&] { on_cancel(context); });
  bool broken = !context.broken_.empty();
  answer.state_action = Finish(slot, broken, before);
  if (broken) return answers;
  answer.outcome.side_effects = std::move(context.side_effects_);
  // Notify appends to `answers`: `answer` is not valid after it.
  if (answer.state_action && answer.state_action->has_update()) Notify(answers);
  if (slot.deleted()) subscribers_.clear();
  return answers;
}

void CrdtHandler::Notify(std::vector<CrdtAnswer>& answers) {
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    if (!it->second.on_change) {
      ++it;
      continue;
    }
    CrdtStreamCtxImpl context(entity_id_, it->first, state_.get());
    Guard(context.broken_, [&] { it->second.on_change(context); });
    CrdtAnswer answer;
    answer.kind = CrdtAnswer::Kind::kStreamed;
    answer.command_id = it->first;
    if (!context.broken_.empty()) {
      // A broken callback ends its caller's stream with the reason.
      answer.outcome = CommandOutcome::Failed(
          Status::Internal(Label() + ": the change callback of command " + std::to_string(it->first) + " " +
                           context.broken_),
          false);
      answer.end_stream = true;
    } else {
      answer.outcome = std::move(context.outcome_);
      answer.end_stream = context.end_stream_;
      if (Status unroutable = CheckTargets(answer.outcome, check_target_); !unroutable.ok()) {
        answer.outcome = CommandOutcome::Failed(std::move(unroutable), false);
      }
    }
    bool sends = context.acted_ || answer.end_stream || !answer.outcome.side_effects.empty() ||
                 !answer.outcome.reply.ok();
    bool end = answer.end_stream;
    if (sends) answers.push_back(std::move(answer));
    it = end ? subscribers_.erase(it) : std::next(it);
  }
}

}  // namespace cloudstate::crdtentity
