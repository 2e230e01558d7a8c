#include "function/crdt_session.h"

#include <optional>
#include <utility>

#include "crdtentity/crdt_handler.h"
#include "function/handler_outcome.h"
#include "function/wire_codec.h"

namespace cloudstate::function {

namespace pb = ::cloudstate::crdt;
using crdtentity::CrdtAnswer;

namespace {

// A CRDT answer without a payload sends the caller nothing (semantics.md §7.4.9), unlike the other
// entities, which must reply.
Outcome ToCrdtOutcome(CommandOutcome outcome, const google::protobuf::MethodDescriptor& method) {
  bool silent = outcome.reply.ok() && !outcome.forward && !outcome.reply.value().payload;
  Outcome result = ToOutcome(std::move(outcome), method);
  if (silent) result.kind = Outcome::Kind::kNoReply;
  return result;
}

}  // namespace

CrdtSession::CrdtSession(std::shared_ptr<const Registry> registry) : registry_(std::move(registry)) {}

CrdtSession::~CrdtSession() = default;

std::string CrdtSession::Label() const {
  if (service_ == nullptr) return "CRDT stream";
  return "CRDT entity " + service_->descriptor->full_name() + "/" + entity_id_;
}

CrdtSession::Step CrdtSession::Handle(const In& in) {
  if (broken_) return Fatal(0, Status::InvalidArgument("the stream has failed"));
  if (in.message_case() != In::kInit && !initialised_ && in.message_case() != In::MESSAGE_NOT_SET) {
    return Fatal(in.has_command() ? in.command().id() : 0,
                 Status::InvalidArgument("the stream must start with init"));
  }
  switch (in.message_case()) {
    case In::kInit: return Init(in.init());
    case In::kDelta: return OnDelta(in.delta());
    case In::kDelete: return OnDelete();
    case In::kCommand: return OnCommand(in.command());
    case In::kStreamCancelled: return OnCancelled(in.stream_cancelled());
    case In::MESSAGE_NOT_SET: break;
  }
  return Fatal(0, Status::InvalidArgument("received a CrdtStreamIn with no message set"));
}

CrdtSession::Step CrdtSession::Fatal(int64_t command_id, Status status) {
  broken_ = true;
  handler_.reset();
  open_.clear();
  if (registry_->log) registry_->log(LogLevel::kWarning, Label() + ": " + status.message());
  Step step;
  *step.out.emplace_back().mutable_failure() = MakeFailure(command_id, status.message());
  step.finish = true;
  step.status = std::move(status);
  return step;
}

CrdtSession::Step CrdtSession::Init(const pb::CrdtInit& init) {
  if (initialised_) {
    return Fatal(0, Status::InvalidArgument("received a second init (for entity \"" + init.entity_id() +
                                            "\"); init is only allowed as the first message"));
  }
  Result<const ServiceEntry*> service = registry_->Find(init.service_name(), ServiceKind::kCrdt);
  if (!service.ok()) return Fatal(0, service.status());
  service_ = *service;
  entity_id_ = init.entity_id();
  Result<std::unique_ptr<crdtentity::CrdtHandler>> handler = service_->crdt(entity_id_);
  if (!handler.ok()) return Fatal(0, handler.status());
  handler_ = std::move(*handler);
  std::optional<pb::CrdtDelta> state;
  if (init.has_delta()) state = init.delta();
  if (Status status = handler_->Init(state); !status.ok()) {
    return Fatal(0, Status::InvalidArgument("the initial state is unusable: " + status.message()));
  }
  initialised_ = true;
  return {};
}

CrdtSession::Step CrdtSession::OnDelta(const pb::CrdtDelta& delta) {
  if (deleted_) return Fatal(0, Status::InvalidArgument("received a delta after delete"));
  Result<std::vector<CrdtAnswer>> answers = handler_->Delta(delta);
  if (!answers.ok()) return Fatal(0, Status::InvalidArgument("the delta is unusable: " + answers.status().message()));
  Step step;
  for (CrdtAnswer& answer : *answers) ToWire(std::move(answer), step.out);
  return step;
}

CrdtSession::Step CrdtSession::OnDelete() {
  // The proxy completes the stream next; the value and every subscription are gone.
  deleted_ = true;
  handler_->Delete();
  open_.clear();
  return {};
}

CrdtSession::Step CrdtSession::OnCommand(const ::cloudstate::Command& command) {
  std::string which = "command " + std::to_string(command.id()) + " (" + command.name() + ")";
  if (deleted_) return Fatal(command.id(), Status::InvalidArgument(which + " came after delete"));
  if (!command.entity_id().empty() && command.entity_id() != entity_id_) {
    return Fatal(command.id(), Status::InvalidArgument(which + " is for entity \"" + command.entity_id() +
                                                       "\" but this stream serves \"" + entity_id_ + "\""));
  }
  const google::protobuf::MethodDescriptor* method = service_->descriptor->FindMethodByName(command.name());
  if (method == nullptr) {
    Step step;
    pb::CrdtReply* reply = step.out.emplace_back().mutable_reply();
    reply->set_command_id(command.id());
    *reply->mutable_client_action()->mutable_failure() =
        MakeFailure(command.id(), "service " + service_->descriptor->full_name() + " has no method \"" +
                                      command.name() + "\"");
    if (registry_->log) registry_->log(LogLevel::kWarning, Label() + ": " + which + " names no method of the service");
    return step;
  }
  EntityCommand in{service_->descriptor->full_name(), entity_id_, command.name(), command.payload(),
                   FromWire(command.metadata())};
  if (command.streamed()) open_[command.id()] = method;
  std::vector<CrdtAnswer> answers = handler_->Command(in, command.id(), command.streamed());
  Step step;
  for (CrdtAnswer& answer : answers) {
    if (answer.kind == CrdtAnswer::Kind::kReply) {
      if (!answer.streamed) open_.erase(answer.command_id);
      pb::CrdtReply* reply = step.out.emplace_back().mutable_reply();
      reply->set_command_id(answer.command_id);
      Outcome outcome = ToCrdtOutcome(std::move(answer.outcome), *method);
      if (auto action = ClientActionToWire(outcome, answer.command_id)) *reply->mutable_client_action() = std::move(*action);
      SideEffectsToWire(outcome, reply->mutable_side_effects());
      if (answer.state_action) *reply->mutable_state_action() = std::move(*answer.state_action);
      reply->set_streamed(answer.streamed);
      if (reply->state_action().has_delete_()) open_.clear();
      continue;
    }
    ToWire(std::move(answer), step.out);
  }
  return step;
}

CrdtSession::Step CrdtSession::OnCancelled(const ::cloudstate::StreamCancelled& cancelled) {
  if (deleted_) return Fatal(0, Status::InvalidArgument("received a stream cancellation after delete"));
  open_.erase(cancelled.id());
  Step step;
  for (CrdtAnswer& answer : handler_->Cancelled(cancelled.id())) ToWire(std::move(answer), step.out);
  return step;
}

void CrdtSession::ToWire(CrdtAnswer answer, std::vector<Out>& out) {
  if (answer.kind == CrdtAnswer::Kind::kCancelled) {
    pb::CrdtStreamCancelledResponse* response = out.emplace_back().mutable_stream_cancelled_response();
    response->set_command_id(answer.command_id);
    Outcome outcome;
    for (SideEffectCall& effect : answer.outcome.side_effects) {
      outcome.side_effects.push_back(EffectCall{ToTarget(std::move(effect.command)), effect.synchronous});
    }
    SideEffectsToWire(outcome, response->mutable_side_effects());
    if (answer.state_action) *response->mutable_state_action() = std::move(*answer.state_action);
    if (response->state_action().has_delete_()) open_.clear();
    return;
  }
  auto it = open_.find(answer.command_id);
  if (it == open_.end()) return;  // a caller already gone (cannot happen: the handler drops it first)
  pb::CrdtStreamedMessage* message = out.emplace_back().mutable_streamed_message();
  message->set_command_id(answer.command_id);
  Outcome outcome = ToCrdtOutcome(std::move(answer.outcome), *it->second);
  if (auto action = ClientActionToWire(outcome, answer.command_id)) *message->mutable_client_action() = std::move(*action);
  SideEffectsToWire(outcome, message->mutable_side_effects());
  message->set_end_stream(answer.end_stream);
  if (answer.end_stream) open_.erase(it);
}

}  // namespace cloudstate::function
