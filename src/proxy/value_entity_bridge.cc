#include "proxy/value_entity_bridge.h"

#include "cloudstate/value_entity.grpc.pb.h"
#include "proxy/bridge_stream.h"

namespace cloudstate::proxy {
namespace {

namespace ve = cloudstate::valueentity;
using Stream = BidiStream<ve::ValueEntityStreamIn, ve::ValueEntityStreamOut>;

// The descriptions clients get, as the reference words them (semantics.md §7.3).
constexpr char kUnexpectedFailure[] = "Unexpected Value entity failure";
constexpr char kUnexpectedTermination[] = "Unexpected Value entity termination";
constexpr BridgeWording kWording{kUnexpectedFailure, kUnexpectedFailure, "Unexpected Value entity reply",
                                 kUnexpectedTermination};

class ValueEntityBridge final : public EntityRuntime {
 public:
  ValueEntityBridge(std::shared_ptr<const BridgeContext> context, std::string service, EntityKey key)
      : context_(std::move(context)), service_(std::move(service)), key_(std::move(key)) {}

  ~ValueEntityBridge() override {
    if (stream_) stream_->Close();
  }

  bool Alive() const override { return !state_->Dead(); }
  // Handle only writes to the stream; replies go to the gRPC front, which only starts a write.
  bool RunsInline() const override { return true; }

  Status Activate() override {
    Result<VersionedValue> stored = context_->store->values().Read(key_);
    if (!stored.ok()) {
      context_->log(LogLevel::kError, Label() + ": could not read its state: " + stored.status().ToString());
      return Status::CommandFailed(kUnexpectedTermination);
    }
    state_->position = stored->version;
    OpenStream();
    ve::ValueEntityStreamIn init;
    init.mutable_init()->set_service_name(service_);
    init.mutable_init()->set_entity_id(key_.entity_id);
    auto* state = init.mutable_init()->mutable_state();  // always present, as the reference sends it
    if (stored->value) *state->mutable_value() = std::move(*stored->value);
    stream_->Send(std::move(init));
    return Status::Ok();
  }

  void Handle(const EntityCommand& command, int64_t command_id, OutcomeCallback done) override {
    if (!AwaitReply(state_, context_, Label(), WaitingCommand{command_id, command.name, std::move(done)},
                    kUnexpectedTermination)) {
      return;
    }

    ve::ValueEntityStreamIn in;
    auto* message = in.mutable_command();
    message->set_entity_id(key_.entity_id);
    message->set_id(command_id);
    message->set_name(command.name);
    *message->mutable_payload() = command.payload;
    // Last, and through a copy: the reply may complete the command, and the engine may replace this
    // runtime, before Send returns.
    auto stream = stream_;
    stream->Send(std::move(in));
  }

 private:
  std::string Label() const { return "value entity " + service_ + "/" + key_.entity_id; }

  void OpenStream() {
    auto owner = std::make_shared<const BridgeOwner>(BridgeOwner{context_, service_, key_, Label()});
    stream_ = OpenBridgeStream<ve::ValueEntity, ve::ValueEntityStreamIn, ve::ValueEntityStreamOut>(
        state_, std::move(owner), kWording, &OnMessage, &stub_);
  }

  static void OnMessage(const std::shared_ptr<BridgeState>& shared, const std::shared_ptr<const BridgeOwner>& owner,
                        ve::ValueEntityStreamOut out) {
    BridgeState& state = *shared;
    const BridgeContext& context = *owner->context;
    WaitingCommand waiting;
    ve::ValueEntityReply* taken = TakeReply(state, *owner, out, kWording, &waiting);
    if (taken == nullptr) return;
    ve::ValueEntityReply& reply = *taken;
    CommandOutcome outcome = OutcomeOf(reply.client_action(), reply.side_effects(), context.resolve,
                                       owner->service + "." + waiting.name, context.report_error);
    if (!reply.has_state_action()) {
      waiting.done(std::move(outcome));
      return;
    }

    const ve::ValueEntityAction& action = reply.state_action();
    ValueWrite write{owner->key, state.position, std::nullopt};
    if (action.has_update() && action.update().has_value()) {
      write.value = std::move(*reply.mutable_state_action()->mutable_update()->mutable_value());
    } else if (!action.has_delete_()) {
      // An update without a value, or an action with no member: the protocol allows neither.
      return state.Fail(context.log, owner->label, std::move(waiting), Status::CommandFailed(kUnexpectedFailure),
                        "a state action with nothing to do");
    }
    state.position += 1;
    context.store->values().Write(
        std::move(write), [outcome = std::move(outcome), waiting = std::move(waiting), shared, owner](Status status) mutable {
          if (status.ok()) {
            outcome.persisted = true;
            waiting.done(std::move(outcome));
            return;
          }
          shared->Fail(owner->context->log, owner->label, std::move(waiting), Status(status.code(), kUnexpectedFailure),
                       "could not persist its state: " + status.ToString());
        });
  }

  std::shared_ptr<const BridgeContext> context_;
  const std::string service_;
  const EntityKey key_;
  std::shared_ptr<BridgeState> state_ = std::make_shared<BridgeState>();
  std::unique_ptr<ve::ValueEntity::Stub> stub_;
  std::shared_ptr<Stream> stream_;
};

}  // namespace

EntityRuntimeFactory MakeValueEntityBridgeFactory(std::shared_ptr<const BridgeContext> context,
                                                  std::string service_name, std::string persistence_id) {
  return [context = std::move(context), service_name = std::move(service_name),
          persistence_id = std::move(persistence_id)](const std::string& entity_id) -> std::unique_ptr<EntityRuntime> {
    return std::make_unique<ValueEntityBridge>(context, service_name, EntityKey{persistence_id, entity_id});
  };
}

}  // namespace cloudstate::proxy
