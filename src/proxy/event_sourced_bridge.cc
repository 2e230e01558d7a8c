#include "proxy/event_sourced_bridge.h"

#include <atomic>
#include <mutex>
#include <optional>

#include "cloudstate/event_sourced.grpc.pb.h"
#include "proxy/bridge_stream.h"

namespace cloudstate::proxy {
namespace {

namespace es = cloudstate::eventsourced;
using Stream = BidiStream<es::EventSourcedStreamIn, es::EventSourcedStreamOut>;

// The descriptions clients get, as the reference words them (semantics.md §7.2).
constexpr char kUnexpectedTermination[] = "Unexpected entity termination";
constexpr BridgeWording kWording{"Unexpected entity failure", "Unexpected entity message", "Unexpected entity reply",
                                 kUnexpectedTermination};
constexpr char kRecoveryError[] = "Error recovering event log";

class EventSourcedBridge final : public EntityRuntime {
 public:
  EventSourcedBridge(std::shared_ptr<const BridgeContext> context, std::string service, EntityKey key)
      : context_(std::move(context)), service_(std::move(service)), key_(std::move(key)) {}

  ~EventSourcedBridge() override {
    if (stream_) stream_->Close();  // the user function sees end-of-stream: passivated
  }

  bool Alive() const override { return !state_->Dead(); }
  // Handle only writes to the stream; replies go to the gRPC front, which only starts a write.
  bool RunsInline() const override { return true; }

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
    if (!AwaitReply(state_, context_, Label(), WaitingCommand{command_id, command.name, std::move(done)},
                    kUnexpectedTermination)) {
      return;
    }

    es::EventSourcedStreamIn in;
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
  std::string Label() const { return "event-sourced entity " + service_ + "/" + key_.entity_id; }

  Status Recovery(const Status& cause) {
    context_->log(LogLevel::kError, Label() + ": " + kRecoveryError + ": " + cause.ToString());
    return Status::CommandFailed(kRecoveryError);
  }

  void OpenStream() {
    auto owner = std::make_shared<const BridgeOwner>(BridgeOwner{context_, service_, key_, Label()});
    // Replies are handled on gRPC threads; journal appends complete on the store's thread.
    stream_ = OpenBridgeStream<es::EventSourced, es::EventSourcedStreamIn, es::EventSourcedStreamOut>(
        state_, std::move(owner), kWording, &OnMessage, &stub_);
  }

  static void OnMessage(const std::shared_ptr<BridgeState>& shared, const std::shared_ptr<const BridgeOwner>& owner,
                        es::EventSourcedStreamOut out) {
    BridgeState& state = *shared;
    const BridgeContext& context = *owner->context;
    WaitingCommand waiting;
    es::EventSourcedReply* taken = TakeReply(state, *owner, out, kWording, &waiting);
    if (taken == nullptr) return;
    es::EventSourcedReply& reply = *taken;

    const auto& action = reply.client_action();
    if (action.has_failure() && action.failure().restart()) {
      // Nothing is persisted; the engine reloads the entity from the store, as the user function asked.
      state.MarkDead();
      waiting.done(CommandOutcome::Failed(Status::CommandFailed(action.failure().description()), true));
      return;
    }
    CommandOutcome outcome = OutcomeOf(action, reply.side_effects(), context.resolve,
                                       owner->service + "." + waiting.name, context.report_error);
    if (reply.events().empty()) {
      waiting.done(std::move(outcome));
      return;
    }

    JournalWrite write;
    write.key = owner->key;
    write.expected_sequence = state.position;
    for (auto& event : *reply.mutable_events()) write.events.push_back(std::move(event));
    if (reply.has_snapshot()) write.snapshot = std::move(*reply.mutable_snapshot());
    state.position += static_cast<int64_t>(write.events.size());
    context.store->journal().Append(
        std::move(write), [outcome = std::move(outcome), waiting = std::move(waiting), shared, owner](Status status) mutable {
          if (status.ok()) {
            outcome.persisted = true;
            waiting.done(std::move(outcome));
            return;
          }
          shared->Fail(owner->context->log, owner->label, std::move(waiting),
                       Status(status.code(), kUnexpectedTermination), "could not persist events: " + status.ToString());
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
