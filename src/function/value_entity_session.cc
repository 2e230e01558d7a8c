#include "function/value_entity_session.h"

#include <optional>
#include <utility>

#include "function/wire_codec.h"

namespace cloudstate::function {

namespace ve = ::cloudstate::valueentity;

ValueEntitySession::ValueEntitySession(std::shared_ptr<const Registry> registry) : registry_(std::move(registry)) {}

std::string ValueEntitySession::Label() const {
  if (service_ == nullptr) return "value entity stream";
  return "value entity " + service_->descriptor->full_name() + "/" + entity_id_;
}

ValueEntitySession::Step ValueEntitySession::Handle(const In& in) {
  if (broken_) return Fatal(0, Status::InvalidArgument("the stream has failed"));
  switch (in.message_case()) {
    case In::kInit: return Init(in.init());
    case In::kCommand: return OnCommand(in.command());
    case In::MESSAGE_NOT_SET: break;
  }
  return Fatal(0, Status::InvalidArgument("received a ValueEntityStreamIn with no message set"));
}

ValueEntitySession::Step ValueEntitySession::Fatal(int64_t command_id, Status status) {
  broken_ = true;
  instance_.reset();
  if (registry_->log) registry_->log(LogLevel::kWarning, Label() + ": " + status.message());
  Step step;
  step.out.emplace();
  *step.out->mutable_failure() = MakeFailure(command_id, status.message());
  step.finish = true;
  step.status = std::move(status);
  return step;
}

ValueEntitySession::Step ValueEntitySession::Init(const ve::ValueEntityInit& init) {
  if (initialised_) {
    return Fatal(0, Status::InvalidArgument("received a second init (for entity \"" + init.entity_id() +
                                            "\"); init is only allowed as the first message"));
  }
  Result<const ServiceEntry*> service = registry_->Find(init.service_name(), ServiceKind::kValueEntity);
  if (!service.ok()) return Fatal(0, service.status());
  service_ = *service;
  entity_id_ = init.entity_id();
  std::optional<google::protobuf::Any> state;
  if (init.has_state() && init.state().has_value()) state = init.state().value();
  Result<std::unique_ptr<ValueInstance>> instance = service_->value(entity_id_, std::move(state));
  if (!instance.ok()) return Fatal(0, instance.status());
  instance_ = std::move(*instance);
  initialised_ = true;
  return {};
}

ValueEntitySession::Step ValueEntitySession::OnCommand(const ::cloudstate::Command& command) {
  std::string which = "command " + std::to_string(command.id()) + " (" + command.name() + ")";
  if (!initialised_) {
    return Fatal(command.id(), Status::InvalidArgument("the stream must start with init, but " + which + " came first"));
  }
  if (!command.entity_id().empty() && command.entity_id() != entity_id_) {
    return Fatal(command.id(), Status::InvalidArgument(which + " is for entity \"" + command.entity_id() +
                                                       "\" but this stream serves \"" + entity_id_ + "\""));
  }
  Step step;
  ve::ValueEntityReply* reply = step.out.emplace().mutable_reply();
  reply->set_command_id(command.id());
  const google::protobuf::MethodDescriptor* method = service_->descriptor->FindMethodByName(command.name());
  if (method == nullptr) {
    *reply->mutable_client_action()->mutable_failure() =
        MakeFailure(command.id(), "service " + service_->descriptor->full_name() + " has no method \"" +
                                      command.name() + "\"");
    if (registry_->log) registry_->log(LogLevel::kWarning, Label() + ": " + which + " names no method of the service");
    return step;
  }

  CommandIn in{entity_id_, command.id(), method, command.payload(), FromWire(command.metadata())};
  ValueResult result = instance_->HandleCommand(in);
  if (auto action = ClientActionToWire(result.outcome, command.id())) *reply->mutable_client_action() = std::move(*action);
  SideEffectsToWire(result.outcome, reply->mutable_side_effects());
  switch (result.action) {
    case ValueResult::StateAction::kNone:
      break;
    case ValueResult::StateAction::kUpdate:
      *reply->mutable_state_action()->mutable_update()->mutable_value() = std::move(result.state);
      break;
    case ValueResult::StateAction::kDelete:
      reply->mutable_state_action()->mutable_delete_();
      break;
  }
  return step;
}

}  // namespace cloudstate::function
