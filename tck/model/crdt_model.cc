#include "crdt_model.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/util/message_differencer.h>

#include "crdt_model_state.h"

namespace cloudstate::tck {
namespace {

constexpr const char* kTwo = "cloudstate.tck.model.crdt.CrdtTwo";

const google::protobuf::ServiceDescriptor* Service(const char* name) {
  return crdt_model::Request::descriptor()->file()->FindServiceByName(name);
}

EntityCommand CallTwo(const std::string& id) {
  crdt_model::Request request;
  request.set_id(id);
  return MakeCommand(kTwo, id, "Call", request);
}

crdt_model::Response ResponseOf(const crdt_model::State& state) {
  crdt_model::Response response;
  *response.mutable_state() = state;
  return response;
}

// The entity's CRDT, created on first use.
CrdtValue& StateOf(CrdtStateAccess& access, CrdtKind kind) {
  bool created = access.State() == nullptr;
  CrdtValue& value = access.StateOrCreate(kind);
  if (created) PrepareCreated(value);
  return value;
}

// What a streamed command's caller gets after a change: the state (unless it asked for none), the
// side effects it asked for, and the end of the stream once the state is the one it waits for.
void NotifySubscriber(CrdtKind kind, const crdt_model::StreamedRequest& request, CrdtStreamContext& stream) {
  std::unique_ptr<CrdtValue> none;
  const CrdtValue* value = stream.State();
  if (value == nullptr) value = (none = NewCrdt(kind)).get();
  crdt_model::State state = RenderState(*value);
  if (!request.empty()) stream.Reply(ResponseOf(state));
  for (const crdt_model::Effect& effect : request.effects()) stream.SideEffect(CallTwo(effect.id()), effect.synchronous());
  if (request.has_end_state() && google::protobuf::util::MessageDifferencer::Equals(state, request.end_state())) {
    stream.EndStream();
  }
}

// CrdtTckModel: the CRDT kind is named by the entity id; a request's updates change it in order.
class ModelEntity : public CrdtEntity {
 public:
  explicit ModelEntity(std::optional<CrdtKind> kind) : kind_(kind) {}

  void HandleCommand(const google::protobuf::Any& command, CrdtCommandContext& context) override {
    if (!kind_) {
      context.Fail("the entity id \"" + context.EntityId() + "\" names no CRDT kind");
      return;
    }
    if (context.CommandName() == "ProcessStreamed") {
      crdt_model::StreamedRequest request;
      if (!command.UnpackTo(&request)) return context.Fail("expected a StreamedRequest but got " + command.type_url());
      return Subscribe(request, context);
    }
    crdt_model::Request request;
    if (!command.UnpackTo(&request)) return context.Fail("expected a Request but got " + command.type_url());
    Process(request, context);
  }

 private:
  void Process(const crdt_model::Request& request, CrdtCommandContext& context) {
    CrdtValue& value = StateOf(context, *kind_);
    CrdtUpdater updater;
    bool deleted = false;
    std::optional<std::string> forward;
    std::vector<std::pair<std::string, bool>> effects;  // added only when the command succeeds
    for (const crdt_model::RequestAction& action : request.actions()) {
      switch (action.action_case()) {
        case crdt_model::RequestAction::kUpdate:
          if (Status status = updater.Apply(value, action.update()); !status.ok()) return context.Fail(status.message());
          context.SetWriteConsistency(ConsistencyOf(action.update()));
          break;
        case crdt_model::RequestAction::kDelete: deleted = true; break;
        case crdt_model::RequestAction::kForward: forward = action.forward().id(); break;
        case crdt_model::RequestAction::kEffect:
          effects.emplace_back(action.effect().id(), action.effect().synchronous());
          break;
        case crdt_model::RequestAction::kFail: return context.Fail(action.fail().message());
        case crdt_model::RequestAction::ACTION_NOT_SET: break;
      }
    }
    for (const auto& [id, synchronous] : effects) context.SideEffect(CallTwo(id), synchronous);
    crdt_model::Response response = ResponseOf(RenderState(value));  // a deleted CRDT still answers with its state
    if (deleted) context.DeleteState();
    if (forward) return context.Forward(CallTwo(*forward));
    context.Reply(response);
  }

  void Subscribe(const crdt_model::StreamedRequest& request, CrdtCommandContext& context) {
    CrdtValue& value = StateOf(context, *kind_);
    if (request.has_initial_update()) {
      CrdtUpdater updater;
      if (Status status = updater.Apply(value, request.initial_update()); !status.ok()) {
        return context.Fail(status.message());
      }
      context.SetWriteConsistency(ConsistencyOf(request.initial_update()));
    }
    if (!request.empty()) context.Reply(ResponseOf(RenderState(value)));
    if (!context.IsStreamed()) return;
    const CrdtKind kind = *kind_;
    context.OnChange([kind, request](CrdtStreamContext& stream) { NotifySubscriber(kind, request, stream); });
    // Registered even without a cancel update: it keeps an empty subscription open.
    context.OnCancel([kind, request](CrdtCancelContext& cancel) {
      if (!request.has_cancel_update()) return;
      CrdtUpdater updater;
      // A cancel update that does not fit the CRDT changes nothing; there is no caller to tell.
      if (updater.Apply(StateOf(cancel, kind), request.cancel_update()).ok()) {
        cancel.SetWriteConsistency(ConsistencyOf(request.cancel_update()));
      }
    });
  }

  const std::optional<CrdtKind> kind_;
};

// CrdtTwo: a GCounter, so that a request with a delete action has something to delete.
class TwoEntity : public CrdtEntity {
 public:
  void HandleCommand(const google::protobuf::Any& command, CrdtCommandContext& context) override {
    crdt_model::Request request;
    if (!command.UnpackTo(&request)) return context.Fail("expected a Request but got " + command.type_url());
    context.StateOrCreate<GCounter>();
    for (const crdt_model::RequestAction& action : request.actions()) {
      if (action.has_delete_()) context.DeleteState();
    }
    context.Reply(crdt_model::Response());
  }
};

// CrdtConfigured: an empty Response to anything.
class ConfiguredEntity : public CrdtEntity {
 public:
  void HandleCommand(const google::protobuf::Any&, CrdtCommandContext& context) override {
    context.Reply(crdt_model::Response());
  }
};

}  // namespace

Status AddCrdtModel(FunctionServer& server) {
  auto model = [](const std::string& id) { return std::make_unique<ModelEntity>(KindOfId(id)); };
  auto two = [](const std::string&) { return std::make_unique<TwoEntity>(); };
  auto configured = [](const std::string&) { return std::make_unique<ConfiguredEntity>(); };
  Status status = server.AddCrdt(Service("CrdtTckModel"), model);
  if (status.ok()) status = server.AddCrdt(Service("CrdtTwo"), two);
  if (status.ok()) {
    CrdtOptions options;
    options.passivation_timeout = std::chrono::milliseconds(100);
    status = server.AddCrdt(Service("CrdtConfigured"), configured, options);
  }
  return status;
}

}  // namespace cloudstate::tck
