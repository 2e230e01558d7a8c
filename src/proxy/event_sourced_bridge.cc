#include "proxy/event_sourced_bridge.h"

#include <atomic>
#include <mutex>
#include <optional>

#include "cloudstate/event_sourced.grpc.pb.h"
#include "proxy/bidi_stream.h"
#include "proxy/bridge_state.h"

namespace cloudstate::proxy {
namespace {

namespace es = cloudstate::eventsourced;
using Stream = BidiStream<es::EventSourcedStreamIn, es::EventSourcedStreamOut>;

// The descriptions clients get, as the reference words them (semantics.md §7.2).
constexpr char kUnexpectedFailure[] = "Unexpected entity failure";
constexpr char kUnexpectedReply[] = "Unexpected entity reply";
constexpr char kUnexpectedMessage[] = "Unexpected entity message";
constexpr char kUnexpectedTermination[] = "Unexpected entity termination";
constexpr char kRecoveryError[] = "Error recovering event log";

class EventSourcedBridge final : public EntityRuntime {
 public:
  EventSourcedBridge(std::shared_ptr<const BridgeContext> context, std::string service, EntityKey key)
      : context_(std::move(context)), service_(std::move(service)), key_(std::move(key)) {}

  ~EventSourcedBridge() override {
    if (stream_) stream_->Close();  // the user function sees end-of-stream: passivated
  }

  bool Alive() const override { return !state_->Dead(); }

  Status Activate() override {
    Journal& journal = context_->store->journal();
    Result<std::optional<Snapshot>> snapshot = journal.LoadSnapshot(key_);
    if (!snapshot.ok()) return Recovery(snapshot.status());

    OpenStream();
    es::EventSourcedStreamIn init;
    init.mutable_init()->set_service_name(service_);
    init.mutable_init()->set_entity_id(key_.entity_id);
    if (snapshot->has_value()) {
      auto* message = init.mutable_init()->mutable_snapshot();
      message->set_snapshot_sequence((*snapshot)->sequence);
      *message->mutable_snapshot() = std::move((*snapshot)->state);
      state_->position = (*snapshot)->sequence;
    }
    stream_->Send(std::move(init));

    Status replayed = journal.ReadEvents(key_, state_->position + 1, [this](const StoredEvent& stored) {
      es::EventSourcedStreamIn in;
      in.mutable_event()->set_sequence(stored.sequence);
      *in.mutable_event()->mutable_payload() = stored.payload;
      stream_->Send(std::move(in));
      state_->position = stored.sequence;
      return true;
    });
    if (!replayed.ok()) {
      stream_->Cancel();
      return Recovery(replayed);
    }
    return Status::Ok();
  }

  void Handle(const EntityCommand& command, int64_t command_id, OutcomeCallback done) override {
    if (state_->Dead()) {
      done(CommandOutcome::Failed(Status::CommandFailed(kUnexpectedTermination), true));
      return;
    }
    state_->Expect(command_id, std::move(done));
    es::EventSourcedStreamIn in;
    auto* message = in.mutable_command();
    message->set_entity_id(key_.entity_id);
    message->set_id(command_id);
    message->set_name(command.name);
    *message->mutable_payload() = command.payload;
    stream_->Send(std::move(in));

    // A reply that never comes fails the command and restarts the entity.
    std::weak_ptr<BridgeState> weak = state_;
    auto stream = stream_;
    context_->env->ScheduleAt(context_->env->Now() + context_->relay_timeout, [weak, stream, command_id,
                                                                                context = context_, label = Label()] {
      auto state = weak.lock();
      if (!state) return;
      OutcomeCallback timed_out = state->Take(command_id);
      if (!timed_out) return;
      state->MarkDead();
      context->log(LogLevel::kError, label + ": no reply to command " + std::to_string(command_id) + " within " +
                                         std::to_string(context->relay_timeout.count()) + " ms");
      stream->Cancel();
      timed_out(CommandOutcome::Failed(Status::DeadlineExceeded(kUnexpectedTermination), true));
    });
  }

 private:
  std::string Label() const { return "event-sourced entity " + service_ + "/" + key_.entity_id; }

  Status Recovery(const Status& cause) {
    context_->log(LogLevel::kError, Label() + ": " + kRecoveryError + ": " + cause.ToString());
    return Status::CommandFailed(kRecoveryError);
  }

  void OpenStream() {
    auto stub = es::EventSourced::NewStub(context_->channel);
    std::weak_ptr<BridgeState> weak = state_;
    auto context = context_;
    std::string label = Label();
    // Replies are handled on gRPC threads; journal appends complete on the store's thread.
    auto on_message = [weak, context, label, key = key_](es::EventSourcedStreamOut out) {
      auto state = weak.lock();
      if (!state) return;
      OnMessage(state, context, label, key, std::move(out));
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
        [&stub](grpc::ClientContext* ctx, grpc::ClientBidiReactor<es::EventSourcedStreamIn, es::EventSourcedStreamOut>* r) {
          stub->async()->handle(ctx, r);
        },
        Stream::Handlers{std::move(on_message), std::move(on_finish)});
    stub_ = std::move(stub);
  }

  static void OnMessage(const std::shared_ptr<BridgeState>& shared, const std::shared_ptr<const BridgeContext>& shared_context,
                        const std::string& label, const EntityKey& key, es::EventSourcedStreamOut out) {
    BridgeState& state = *shared;
    const BridgeContext& context = *shared_context;
    if (out.has_failure()) {
      return state.Crash(context.log, label, kUnexpectedFailure, "the user function failed: " + out.failure().description());
    }
    if (!out.has_reply()) return state.Crash(context.log, label, kUnexpectedMessage, "an empty message");
    es::EventSourcedReply& reply = *out.mutable_reply();
    OutcomeCallback done = state.Take(reply.command_id());
    if (!done) {
      return state.Crash(context.log, label, kUnexpectedReply,
                   "a reply to command " + std::to_string(reply.command_id()) + ", which is not the one waiting");
    }

    const auto& action = reply.client_action();
    if (action.has_failure() && action.failure().restart()) {
      // Nothing is persisted; the entity is reloaded from the store.
      state.MarkDead();
      done(CommandOutcome::Failed(Status::CommandFailed(action.failure().description()), true));
      return;
    }
    CommandOutcome outcome = OutcomeOf(action, reply.side_effects(), context.resolve);
    if (reply.events().empty()) {
      done(std::move(outcome));
      return;
    }

    JournalWrite write;
    write.key = key;
    write.expected_sequence = state.position;
    for (auto& event : *reply.mutable_events()) write.events.push_back(std::move(event));
    if (reply.has_snapshot()) write.snapshot = std::move(*reply.mutable_snapshot());
    state.position += static_cast<int64_t>(write.events.size());
    context.store->journal().Append(
        std::move(write), [outcome = std::move(outcome), done = std::move(done), shared_context, label](Status status) mutable {
          const BridgeContext& context = *shared_context;
          if (status.ok()) {
            outcome.persisted = true;
            done(std::move(outcome));
            return;
          }
          context.log(LogLevel::kError, label + ": could not persist events: " + status.ToString());
          done(CommandOutcome::Failed(Status(status.code(), kUnexpectedTermination), true));
        });
  }

  std::shared_ptr<const BridgeContext> context_;
  const std::string service_;
  const EntityKey key_;
  std::shared_ptr<BridgeState> state_ = std::make_shared<BridgeState>();
  std::unique_ptr<es::EventSourced::Stub> stub_;
  std::shared_ptr<Stream> stream_;
};

}  // namespace

EntityRuntimeFactory MakeEventSourcedBridgeFactory(std::shared_ptr<const BridgeContext> context,
                                                   std::string service_name, std::string persistence_id) {
  return [context = std::move(context), service_name = std::move(service_name),
          persistence_id = std::move(persistence_id)](const std::string& entity_id) -> std::unique_ptr<EntityRuntime> {
    return std::make_unique<EventSourcedBridge>(context, service_name, EntityKey{persistence_id, entity_id});
  };
}

}  // namespace cloudstate::proxy
