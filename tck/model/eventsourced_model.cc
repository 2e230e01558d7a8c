#include "eventsourced_model.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cloudstate/tck/model/eventsourced.pb.h"

namespace cloudstate::tck {
namespace {

constexpr const char* kTwo = "cloudstate.tck.model.EventSourcedTwo";

const google::protobuf::ServiceDescriptor* Service(const char* name) {
  return model::Request::descriptor()->file()->FindServiceByName(name);
}

EntityCommand CallTwo(const std::string& id) {
  model::Request request;
  request.set_id(id);
  return MakeCommand(kTwo, id, "Call", request);
}

// State: the concatenation of every value emitted so far (a snapshot holds the whole of it).
class ModelEntity : public EventSourcedEntity {
 public:
  Status HandleSnapshot(const google::protobuf::Any& snapshot, int64_t) override {
    model::Persisted persisted;
    if (!snapshot.UnpackTo(&persisted)) return Status::InvalidArgument("snapshot is not a Persisted: " + snapshot.type_url());
    state_ = persisted.value();
    return Status::Ok();
  }

  Status HandleEvent(const google::protobuf::Any& event, int64_t) override {
    model::Persisted persisted;
    if (!event.UnpackTo(&persisted)) return Status::InvalidArgument("event is not a Persisted: " + event.type_url());
    state_ += persisted.value();
    return Status::Ok();
  }

  void HandleCommand(const google::protobuf::Any& command, EventSourcedCommandContext& context) override {
    model::Request request;
    if (!command.UnpackTo(&request)) {
      context.Fail("expected a Request but got " + command.type_url());
      return;
    }
    std::optional<std::string> forward;
    std::vector<std::pair<std::string, bool>> effects;  // added only when the command succeeds
    for (const model::RequestAction& action : request.actions()) {
      switch (action.action_case()) {
        case model::RequestAction::kEmit: {
          model::Persisted event;
          event.set_value(action.emit().value());
          context.Emit(event);
          break;
        }
        case model::RequestAction::kForward:
          forward = action.forward().id();
          break;
        case model::RequestAction::kEffect:
          effects.emplace_back(action.effect().id(), action.effect().synchronous());
          break;
        case model::RequestAction::kFail:
          context.Fail(action.fail().message());
          return;
        case model::RequestAction::ACTION_NOT_SET:
          break;
      }
    }
    for (const auto& [id, synchronous] : effects) context.SideEffect(CallTwo(id), synchronous);
    if (forward) {
      context.Forward(CallTwo(*forward));
      return;
    }
    model::Response response;
    response.set_message(state_);
    context.Reply(response);
  }

  std::optional<google::protobuf::Any> Snapshot() override {
    model::Persisted persisted;
    persisted.set_value(state_);
    google::protobuf::Any any;
    any.PackFrom(persisted);
    return any;
  }

 private:
  std::string state_;
};

// EventSourcedTwo and EventSourcedConfigured: an empty Response to anything, no events.
class EmptyReplyEntity : public EventSourcedEntity {
 public:
  Status HandleEvent(const google::protobuf::Any&, int64_t) override { return Status::Ok(); }
  void HandleCommand(const google::protobuf::Any&, EventSourcedCommandContext& context) override {
    context.Reply(model::Response());
  }
};

}  // namespace

Status AddEventSourcedModel(FunctionServer& server) {
  EventSourcedOptions model_options;
  model_options.persistence_id = "event-sourced-tck-model";
  model_options.snapshot_every = 5;
  Status status = server.AddEventSourced(
      Service("EventSourcedTckModel"), [](const std::string&) { return std::make_unique<ModelEntity>(); },
      model_options);
  if (!status.ok()) return status;

  EventSourcedOptions two_options;
  two_options.persistence_id = "event-sourced-tck-model-two";
  two_options.snapshot_every = 0;
  status = server.AddEventSourced(
      Service("EventSourcedTwo"), [](const std::string&) { return std::make_unique<EmptyReplyEntity>(); },
      two_options);
  if (!status.ok()) return status;

  EventSourcedOptions configured_options;
  configured_options.persistence_id = "event-sourced-configured";
  configured_options.snapshot_every = 0;
  configured_options.passivation_timeout = std::chrono::milliseconds(100);
  return server.AddEventSourced(
      Service("EventSourcedConfigured"), [](const std::string&) { return std::make_unique<EmptyReplyEntity>(); },
      configured_options);
}

}  // namespace cloudstate::tck
