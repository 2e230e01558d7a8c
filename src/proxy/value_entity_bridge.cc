#include "proxy/value_entity_bridge.h"

#include "cloudstate/value_entity.grpc.pb.h"
#include "proxy/bidi_stream.h"
#include "proxy/bridge_state.h"

namespace cloudstate::proxy {
namespace {

namespace ve = cloudstate::valueentity;
using Stream = BidiStream<ve::ValueEntityStreamIn, ve::ValueEntityStreamOut>;

// The descriptions clients get, as the reference words them (semantics.md §7.3).
constexpr char kUnexpectedFailure[] = "Unexpected Value entity failure";
constexpr char kUnexpectedReply[] = "Unexpected Value entity reply";
constexpr char kUnexpectedTermination[] = "Unexpected Value entity termination";

class ValueEntityBridge final : public EntityRuntime {
 public:
  ValueEntityBridge(std::shared_ptr<const BridgeContext> context, std::string service, EntityKey key)
      : context_(std::move(context)), service_(std::move(service)), key_(std::move(key)) {}

  ~ValueEntityBridge() override {
    if (stream_) stream_->Close();
  }

  bool Alive() const override { return !state_->Dead(); }

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
    if (state_->Dead()) {
      done(CommandOutcome::Failed(Status::CommandFailed(kUnexpectedTermination), true));
      return;
    }
    state_->Expect(command_id, std::move(done));
    ve::ValueEntityStreamIn in;
    auto* message = in.mutable_command();
    message->set_entity_id(key_.entity_id);
    message->set_id(command_id);
    message->set_name(command.name);
    *message->mutable_payload() = command.payload;
    stream_->Send(std::move(in));

    std::weak_ptr<BridgeState> weak = state_;
    context_->env->ScheduleAt(context_->env->Now() + context_->relay_timeout,
                              [weak, stream = stream_, command_id, context = context_, label = Label()] {
                                auto state = weak.lock();
                                if (!state) return;
                                OutcomeCallback timed_out = state->Take(command_id);
                                if (!timed_out) return;
                                state->MarkDead();
                                context->log(LogLevel::kError, label + ": no reply to command " +
                                                                   std::to_string(command_id) + " in time");
                                stream->Cancel();
                                timed_out(CommandOutcome::Failed(Status::DeadlineExceeded(kUnexpectedTermination), true));
                              });
  }

 private:
  std::string Label() const { return "value entity " + service_ + "/" + key_.entity_id; }

  void OpenStream() {
    auto stub = ve::ValueEntity::NewStub(context_->channel);
    std::weak_ptr<BridgeState> weak = state_;
    auto context = context_;
    std::string label = Label();
    auto on_message = [weak, context, label, key = key_](ve::ValueEntityStreamOut out) {
      if (auto state = weak.lock()) OnMessage(state, context, label, key, std::move(out));
    };
    auto on_finish = [weak, context, label](const grpc::Status& status) {
      auto state = weak.lock();
      if (!state) return;
      OutcomeCallback pending = state->Take(0);
      state->MarkDead();
      if (pending) {
        context->log(LogLevel::kError, label + ": the user function ended the stream during a command: " +
                                           status.error_message());
        pending(CommandOutcome::Failed(Status::CommandFailed(kUnexpectedTermination), true));
      }
    };
    stream_ = Stream::Open(
        [&stub](grpc::ClientContext* ctx, grpc::ClientBidiReactor<ve::ValueEntityStreamIn, ve::ValueEntityStreamOut>* r) {
          stub->async()->handle(ctx, r);
        },
        Stream::Handlers{std::move(on_message), std::move(on_finish)});
    stub_ = std::move(stub);
  }

  static void OnMessage(const std::shared_ptr<BridgeState>& shared, const std::shared_ptr<const BridgeContext>& shared_context,
                        const std::string& label, const EntityKey& key, ve::ValueEntityStreamOut out) {
    BridgeState& state = *shared;
    const BridgeContext& context = *shared_context;
    if (out.has_failure()) {
      return state.Crash(context.log, label, kUnexpectedFailure, "the user function failed: " + out.failure().description());
    }
    if (!out.has_reply()) return state.Crash(context.log, label, kUnexpectedFailure, "an empty message");
    ve::ValueEntityReply& reply = *out.mutable_reply();
    OutcomeCallback done = state.Take(reply.command_id());
    if (!done) {
      return state.Crash(context.log, label, kUnexpectedReply,
                         "a reply to command " + std::to_string(reply.command_id()) + ", which is not the one waiting");
    }
    CommandOutcome outcome = OutcomeOf(reply.client_action(), reply.side_effects(), context.resolve);
    if (!reply.has_state_action()) {
      done(std::move(outcome));
      return;
    }

    const ve::ValueEntityAction& action = reply.state_action();
    ValueWrite write{key, state.position, std::nullopt};
    if (action.has_update() && action.update().has_value()) {
      write.value = std::move(*reply.mutable_state_action()->mutable_update()->mutable_value());
    } else if (!action.has_delete_()) {
      // An update without a value, or an action with no member: the protocol allows neither.
      state.MarkDead();
      context.log(LogLevel::kError, label + ": a state action with nothing to do");
      done(CommandOutcome::Failed(Status::CommandFailed(kUnexpectedFailure), true));
      return;
    }
    state.position += 1;
    context.store->values().Write(
        std::move(write), [outcome = std::move(outcome), done = std::move(done), shared_context, label](Status status) mutable {
          if (status.ok()) {
            outcome.persisted = true;
            done(std::move(outcome));
            return;
          }
          shared_context->log(LogLevel::kError, label + ": could not persist its state: " + status.ToString());
          done(CommandOutcome::Failed(Status(status.code(), kUnexpectedFailure), true));
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
