#include "function/event_sourced_session.h"

#include <utility>

#include "function/wire_codec.h"

namespace cloudstate::function {

namespace es = ::cloudstate::eventsourced;

EventSourcedSession::EventSourcedSession(std::shared_ptr<const Registry> registry) : registry_(std::move(registry)) {}

std::string EventSourcedSession::Label() const {
  if (service_ == nullptr) return "event-sourced stream";
  return "event-sourced entity " + service_->descriptor->full_name() + "/" + entity_id_;
}

EventSourcedSession::Step EventSourcedSession::Handle(const In& in) {
  switch (in.message_case()) {
    case In::kInit: return Init(in.init());
    case In::kEvent: return Event(in.event());
    case In::kCommand: return OnCommand(in.command());
    case In::MESSAGE_NOT_SET: break;
  }
  return Fatal(0, Status::InvalidArgument("received an EventSourcedStreamIn with no message set"));
}

EventSourcedSession::Step EventSourcedSession::Fatal(int64_t command_id, Status status) {
  state_ = State::kBroken;
  instance_.reset();
  if (registry_->log) registry_->log(LogLevel::kWarning, Label() + ": " + status.message());
  Step step;
  step.out.emplace();
  *step.out->mutable_failure() = MakeFailure(command_id, status.message());
  step.finish = true;
  step.status = std::move(status);
  return step;
}

EventSourcedSession::Step EventSourcedSession::Init(const es::EventSourcedInit& init) {
  if (state_ != State::kAwaitInit) {
    return Fatal(0, Status::InvalidArgument("received a second init (for entity \"" + init.entity_id() +
                                            "\"); init is only allowed as the first message"));
  }
  Result<const ServiceEntry*> service = registry_->Find(init.service_name(), ServiceKind::kEventSourced);
  if (!service.ok()) return Fatal(0, service.status());
  service_ = *service;
  entity_id_ = init.entity_id();
  Result<std::unique_ptr<EventSourcedInstance>> instance = service_->event_sourced(entity_id_);
  if (!instance.ok()) return Fatal(0, instance.status());
  instance_ = std::move(*instance);
  if (init.has_snapshot()) {
    const es::EventSourcedSnapshot& snapshot = init.snapshot();
    if (Status status = instance_->ApplySnapshot(snapshot.snapshot(), snapshot.snapshot_sequence()); !status.ok()) {
      return Fatal(0, Status::Internal("the entity rejected its snapshot at sequence " +
                                       std::to_string(snapshot.snapshot_sequence()) + ": " + status.message()));
    }
    sequence_ = snapshot.snapshot_sequence();
  }
  state_ = State::kReplaying;
  return {};
}

EventSourcedSession::Step EventSourcedSession::Event(const es::EventSourcedEvent& event) {
  switch (state_) {
    case State::kAwaitInit:
      return Fatal(0, Status::InvalidArgument("the stream must start with init, but an event came first"));
    case State::kReplaying:
      break;
    case State::kServing:
    case State::kRestarting:
      return Fatal(0, Status::InvalidArgument("received event " + std::to_string(event.sequence()) +
                                              " after a command; events are only allowed between init and the "
                                              "first command"));
    case State::kBroken:
      return Fatal(0, Status::InvalidArgument("the stream has failed"));
  }
  if (event.sequence() <= sequence_) {
    return Fatal(0, Status::InvalidArgument("event sequence " + std::to_string(event.sequence()) +
                                            " does not follow sequence " + std::to_string(sequence_)));
  }
  if (Status status = instance_->ApplyEvent(event.payload(), event.sequence()); !status.ok()) {
    return Fatal(0, Status::Internal("the entity rejected event " + std::to_string(event.sequence()) + " (" +
                                     event.payload().type_url() + "): " + status.message()));
  }
  sequence_ = event.sequence();
  return {};
}

EventSourcedSession::Step EventSourcedSession::OnCommand(const ::cloudstate::Command& command) {
  std::string which = "command " + std::to_string(command.id()) + " (" + command.name() + ")";
  switch (state_) {
    case State::kAwaitInit:
      return Fatal(command.id(), Status::InvalidArgument("the stream must start with init, but " + which +
                                                         " came first"));
    case State::kReplaying:
    case State::kServing:
      break;
    case State::kRestarting:
      return Fatal(command.id(), Status::InvalidArgument(which + " arrived after the entity asked to be restarted; "
                                                         "the proxy must close this stream and start a new one"));
    case State::kBroken:
      return Fatal(command.id(), Status::InvalidArgument("the stream has failed"));
  }
  state_ = State::kServing;
  if (!command.entity_id().empty() && command.entity_id() != entity_id_) {
    return Fatal(command.id(), Status::InvalidArgument(which + " is for entity \"" + command.entity_id() +
                                                       "\" but this stream serves \"" + entity_id_ + "\""));
  }

  Step step;
  es::EventSourcedReply* reply = step.out.emplace().mutable_reply();
  reply->set_command_id(command.id());
  const google::protobuf::MethodDescriptor* method = service_->descriptor->FindMethodByName(command.name());
  if (method == nullptr) {
    // The entity is untouched: refuse this command only.
    *reply->mutable_client_action()->mutable_failure() =
        MakeFailure(command.id(), "service " + service_->descriptor->full_name() + " has no method \"" +
                                      command.name() + "\"");
    if (registry_->log) registry_->log(LogLevel::kWarning, Label() + ": " + which + " names no method of the service");
    return step;
  }

  CommandIn in{entity_id_, command.id(), method, command.payload(), FromWire(command.metadata())};
  EventSourcedResult result = instance_->HandleCommand(in);
  if (auto action = ClientActionToWire(result.outcome, command.id())) *reply->mutable_client_action() = std::move(*action);
  SideEffectsToWire(result.outcome, reply->mutable_side_effects());
  for (google::protobuf::Any& event : result.events) *reply->add_events() = std::move(event);
  if (result.snapshot) *reply->mutable_snapshot() = std::move(*result.snapshot);
  if (result.outcome.kind == Outcome::Kind::kFailure && result.outcome.restart) {
    // The proxy answers by closing the stream and starting the entity afresh.
    state_ = State::kRestarting;
    instance_.reset();
    if (registry_->log) registry_->log(LogLevel::kInfo, Label() + ": " + which + " asked for a restart");
  }
  return step;
}

}  // namespace cloudstate::function
