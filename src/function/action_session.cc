#include "function/action_session.h"

#include <utility>

#include "function/wire_codec.h"

namespace cloudstate::function {
namespace {

namespace pb = ::cloudstate::action;

const char* ShapeName(ActionShape shape) {
  switch (shape) {
    case ActionShape::kUnary: return "unary";
    case ActionShape::kStreamedIn: return "client-streaming";
    case ActionShape::kStreamedOut: return "server-streaming";
    case ActionShape::kStreamed: return "bidirectional streaming";
  }
  return "";
}

const char* ProtocolMethod(ActionShape shape) {
  switch (shape) {
    case ActionShape::kUnary: return "handleUnary";
    case ActionShape::kStreamedIn: return "handleStreamedIn";
    case ActionShape::kStreamedOut: return "handleStreamedOut";
    case ActionShape::kStreamed: return "handleStreamed";
  }
  return "";
}

ActionShape ShapeOf(const google::protobuf::MethodDescriptor& method) {
  if (method.client_streaming()) return method.server_streaming() ? ActionShape::kStreamed : ActionShape::kStreamedIn;
  return method.server_streaming() ? ActionShape::kStreamedOut : ActionShape::kUnary;
}

pb::ActionResponse ToResponse(const Outcome& outcome) {
  pb::ActionResponse response;
  if (std::optional<::cloudstate::ClientAction> action = ClientActionToWire(outcome, 0)) {
    if (action->has_reply()) *response.mutable_reply() = std::move(*action->mutable_reply());
    if (action->has_forward()) *response.mutable_forward() = std::move(*action->mutable_forward());
    if (action->has_failure()) *response.mutable_failure() = std::move(*action->mutable_failure());
  }
  SideEffectsToWire(outcome, response.mutable_side_effects());
  return response;
}

}  // namespace

ActionSession::ActionSession(std::shared_ptr<const Registry> registry, ActionShape shape)
    : registry_(std::move(registry)), shape_(shape) {}

std::string ActionSession::Label() const {
  if (service_name_.empty()) return std::string("action call (") + ProtocolMethod(shape_) + ")";
  return "action " + service_name_ + "." + method_name_;
}

ActionStep ActionSession::Fail(std::string description) {
  if (registry_->log) registry_->log(LogLevel::kWarning, Label() + ": " + description);
  instance_.reset();
  finished_ = true;
  ActionStep step;
  step.out.push_back(ToResponse(Outcome::Failure(std::move(description), false)));
  step.finish = true;
  return step;
}

void ActionSession::Append(std::vector<Outcome> outcomes, ActionStep& step) const {
  for (const Outcome& outcome : outcomes) step.out.push_back(ToResponse(outcome));
}

ActionStep ActionSession::Start(const pb::ActionCommand& command) {
  if (instance_ || finished_) return Fail("the call was already started");
  service_name_ = command.service_name();
  method_name_ = command.name();
  Result<const ServiceEntry*> service = registry_->Find(command.service_name(), ServiceKind::kAction);
  if (!service.ok()) return Fail(service.status().message());
  const google::protobuf::MethodDescriptor* method = (*service)->descriptor->FindMethodByName(command.name());
  if (method == nullptr) {
    return Fail("service " + command.service_name() + " has no method \"" + command.name() + "\"");
  }
  if (ShapeOf(*method) != shape_) {
    return Fail(command.service_name() + "." + command.name() + " is a " + ShapeName(ShapeOf(*method)) +
                " method; the proxy must call " + ProtocolMethod(ShapeOf(*method)) + ", not " +
                ProtocolMethod(shape_));
  }
  Result<std::unique_ptr<ActionInstance>> instance = (*service)->action(*method, FromWire(command.metadata()));
  if (!instance.ok()) return Fail(instance.status().message());
  instance_ = std::move(*instance);

  ActionStep step;
  switch (shape_) {
    case ActionShape::kUnary:
      step.out.push_back(ToResponse(instance_->Unary(command.payload())));
      step.finish = true;
      break;
    case ActionShape::kStreamedOut:
      Append(instance_->StreamedOut(command.payload()), step);
      step.finish = true;
      break;
    case ActionShape::kStreamedIn:
    case ActionShape::kStreamed:
      // The head carries no payload from the reference proxy; a caller that sends one means it.
      if (command.has_payload()) return Next(command);
      break;
  }
  if (step.finish) {
    instance_.reset();
    finished_ = true;
  }
  return step;
}

ActionStep ActionSession::Next(const pb::ActionCommand& command) {
  if (!instance_) return Fail("received a message before the call was started");
  ActionStep step;
  bool ended = false;
  Append(instance_->Message(command.payload(), FromWire(command.metadata()), ended), step);
  if (ended) {
    instance_.reset();
    finished_ = true;
    step.finish = true;
  }
  return step;
}

ActionStep ActionSession::End() {
  if (!instance_ && !finished_) return Fail("the call ended before its first message named a service and method");
  ActionStep step;
  step.finish = true;
  if (!instance_) return step;
  Append(instance_->End(), step);
  instance_.reset();
  finished_ = true;
  return step;
}

}  // namespace cloudstate::function
