#include "valueentity_model.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cloudstate/tck/model/valueentity.pb.h"

namespace cloudstate::tck {
namespace {

namespace ve = ::cloudstate::tck::model::valueentity;

constexpr const char* kTwo = "cloudstate.tck.model.valueentity.ValueEntityTwo";

const google::protobuf::ServiceDescriptor* Service(const char* name) {
  return ve::Request::descriptor()->file()->FindServiceByName(name);
}

EntityCommand CallTwo(const std::string& id) {
  ve::Request request;
  request.set_id(id);
  return MakeCommand(kTwo, id, "Call", request);
}

// State: one string, stored as Persisted{value}; none stored reads as "".
class ModelEntity : public ValueEntity {
 public:
  void HandleCommand(const google::protobuf::Any& command, ValueCommandContext& context) override {
    ve::Request request;
    if (!command.UnpackTo(&request)) {
      context.Fail("expected a Request but got " + command.type_url());
      return;
    }
    std::string state;
    if (const google::protobuf::Any* stored = context.State(); stored != nullptr) {
      ve::Persisted persisted;
      if (!stored->UnpackTo(&persisted)) {
        context.Fail("stored state is not a Persisted: " + stored->type_url());
        return;
      }
      state = persisted.value();
    }
    std::optional<std::string> forward;
    std::vector<std::pair<std::string, bool>> effects;  // added only when the command succeeds
    for (const ve::RequestAction& action : request.actions()) {
      switch (action.action_case()) {
        case ve::RequestAction::kUpdate: {
          ve::Persisted persisted;
          persisted.set_value(action.update().value());
          context.UpdateState(persisted);
          state = action.update().value();
          break;
        }
        case ve::RequestAction::kDelete:
          context.DeleteState();
          state.clear();
          break;
        case ve::RequestAction::kForward:
          forward = action.forward().id();
          break;
        case ve::RequestAction::kEffect:
          effects.emplace_back(action.effect().id(), action.effect().synchronous());
          break;
        case ve::RequestAction::kFail:
          context.Fail(action.fail().message());
          return;
        case ve::RequestAction::ACTION_NOT_SET:
          break;
      }
    }
    for (const auto& [id, synchronous] : effects) context.SideEffect(CallTwo(id), synchronous);
    if (forward) {
      context.Forward(CallTwo(*forward));
      return;
    }
    ve::Response response;
    response.set_message(state);
    context.Reply(response);
  }
};

// ValueEntityTwo and ValueEntityConfigured: an empty Response to anything, state untouched.
class EmptyReplyEntity : public ValueEntity {
 public:
  void HandleCommand(const google::protobuf::Any&, ValueCommandContext& context) override {
    context.Reply(ve::Response());
  }
};

Status Add(FunctionServer& server, const char* service, const char* persistence_id,
           std::chrono::milliseconds passivation, ValueEntityFactory factory) {
  ValueEntityOptions options;
  options.persistence_id = persistence_id;
  options.passivation_timeout = passivation;
  return server.AddValueEntity(Service(service), std::move(factory), options);
}

}  // namespace

Status AddValueEntityModel(FunctionServer& server) {
  auto model = [](const std::string&) { return std::make_unique<ModelEntity>(); };
  auto empty = [](const std::string&) { return std::make_unique<EmptyReplyEntity>(); };
  Status status = Add(server, "ValueEntityTckModel", "value-entity-tck-model", {}, model);
  if (status.ok()) status = Add(server, "ValueEntityTwo", "value-entity-tck-model-two", {}, empty);
  if (status.ok()) {
    status = Add(server, "ValueEntityConfigured", "value-entity-configured", std::chrono::milliseconds(100), empty);
  }
  return status;
}

}  // namespace cloudstate::tck
