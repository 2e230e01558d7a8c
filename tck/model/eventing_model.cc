#include "eventing_model.h"

#include <memory>
#include <string>
#include <utility>

#include <google/protobuf/empty.pb.h>

#include "cloudstate/tck/model/eventlogeventing.pb.h"
#include "json_event.h"

namespace cloudstate::tck {
namespace {

namespace ev = ::cloudstate::tck::model::eventlogeventing;

constexpr const char* kSubscriber = "cloudstate.tck.model.eventlogeventing.EventLogSubscriberModel";

const google::protobuf::ServiceDescriptor* Service(const char* name) {
  return ev::Response::descriptor()->file()->FindServiceByName(name);
}

// A proxy delivers an event with its CloudEvent attributes as metadata; the subject is the id of
// the entity that emitted it.
std::string Subject(const MetadataEntries& metadata) {
  for (const auto& [key, value] : metadata) {
    if (key == "ce-subject") return value;
  }
  return "";
}

ev::Response MakeResponse(const std::string& id, const std::string& message) {
  ev::Response response;
  response.set_id(id);
  response.set_message(message);
  return response;
}

// One step of a consumed event: a reply, or a forward to Effect that carries the same two fields.
void Respond(const ev::ProcessStep& step, const std::string& id, ActionContext& context) {
  switch (step.step_case()) {
    case ev::ProcessStep::kReply:
      context.Reply(MakeResponse(id, step.reply().message()));
      break;
    case ev::ProcessStep::kForward: {
      ev::EffectRequest request;
      request.set_id(id);
      request.set_message(step.forward().message());
      context.Forward(MakeCommand(kSubscriber, "", "Effect", request));
      break;
    }
    case ev::ProcessStep::STEP_NOT_SET:
      break;
  }
}

class SubscriberAction : public Action {
 public:
  void HandleUnary(const google::protobuf::Any& command, ActionContext& context) override {
    const std::string id = Subject(context.MessageMetadata());
    const std::string& method = context.CommandName();
    if (method == "ProcessEventOne") {
      ev::EventOne event;
      if (!command.UnpackTo(&event)) return context.Fail("expected an EventOne but got " + command.type_url());
      Respond(event.step(), id, context);
    } else if (method == "Effect") {
      ev::EffectRequest request;
      if (!command.UnpackTo(&request)) return context.Fail("expected an EffectRequest but got " + command.type_url());
      context.Reply(MakeResponse(request.id(), request.message()));
    } else if (method == "ProcessAnyEvent") {
      Result<std::string> message = JsonEventMessage(command);
      if (!message.ok()) return context.Fail(message.status().message());
      context.Reply(MakeResponse(id, *message));
    } else {
      context.Fail("EventLogSubscriberModel." + method + " is not a unary method");
    }
  }

  // ProcessEventTwo: one response per step.
  void HandleStreamedOut(const google::protobuf::Any& command, ActionContext& context) override {
    ev::EventTwo event;
    if (!command.UnpackTo(&event)) return context.Fail("expected an EventTwo but got " + command.type_url());
    const std::string id = Subject(context.MessageMetadata());
    for (const ev::ProcessStep& step : event.step()) {
      Respond(step, id, context);
      context.Send();
    }
  }
};

// Emits the event of the request as it is; keeps no state, so its event handler has nothing to do.
class EntityOne : public EventSourcedEntity {
 public:
  Status HandleEvent(const google::protobuf::Any&, int64_t) override { return Status::Ok(); }
  void HandleCommand(const google::protobuf::Any& command, EventSourcedCommandContext& context) override {
    ev::EmitEventRequest request;
    if (!command.UnpackTo(&request)) return context.Fail("expected an EmitEventRequest but got " + command.type_url());
    if (request.has_event_one()) context.Emit(request.event_one());
    if (request.has_event_two()) context.Emit(request.event_two());
    context.Reply(google::protobuf::Empty());
  }
};

// Emits {"message": ...} as a JSON event, which the subscriber receives through its Any method.
class EntityTwo : public EventSourcedEntity {
 public:
  Status HandleEvent(const google::protobuf::Any&, int64_t) override { return Status::Ok(); }
  void HandleCommand(const google::protobuf::Any& command, EventSourcedCommandContext& context) override {
    ev::JsonEvent request;
    if (!command.UnpackTo(&request)) return context.Fail("expected a JsonEvent but got " + command.type_url());
    context.Emit(JsonMessageEvent("JsonEvent", request.message()));
    context.Reply(google::protobuf::Empty());
  }
};

Status AddEntity(FunctionServer& server, const char* service, const char* persistence_id, EventSourcedFactory factory) {
  EventSourcedOptions options;
  options.persistence_id = persistence_id;
  options.snapshot_every = 0;  // no state to snapshot
  return server.AddEventSourced(Service(service), std::move(factory), options);
}

}  // namespace

Status AddEventingModel(FunctionServer& server) {
  Status status = server.AddAction(Service("EventLogSubscriberModel"), [] { return std::make_unique<SubscriberAction>(); });
  if (status.ok()) {
    status = AddEntity(server, "EventSourcedEntityOne", "eventlogeventing-one",
                       [](const std::string&) { return std::make_unique<EntityOne>(); });
  }
  if (status.ok()) {
    status = AddEntity(server, "EventSourcedEntityTwo", "eventlogeventing-two",
                       [](const std::string&) { return std::make_unique<EntityTwo>(); });
  }
  return status;
}

}  // namespace cloudstate::tck
