#include "proxy/eventing/event_log_delivery.h"

#include <mutex>

#include "engine/engine_extensions.h"
#include "proxy/action_bridge.h"
#include "proxy/action_stream.h"
#include "proxy/eventing/event_log_command.h"

namespace cloudstate::proxy {
namespace {

namespace act = cloudstate::action;
using Done = std::function<void(Status)>;

// What a routed result means for the event: processed unless the command did not complete.
Status Processed(const Result<CommandReply>& reply) {
  if (reply.ok() || reply.status().code() == StatusCode::kCommandFailed) return Status::Ok();
  return reply.status();
}

Status Unreached(const std::string& origin, const grpc::Status& status) {
  return Status::Unavailable("the call of " + origin + " in the user function did not complete: " +
                             status.error_message() + " (gRPC code " + std::to_string(status.error_code()) + ")");
}

// One event as a one-message stream: responses are routed one at a time, in order; the delivery
// completes when the function ends the stream, or fails when the relay timeout passes first.
class StreamedDelivery : public std::enable_shared_from_this<StreamedDelivery> {
 public:
  StreamedDelivery(EngineExtensions& engine, std::shared_ptr<const BridgeContext> bridges, ActionShape shape,
                   std::string origin, Done done)
      : engine_(engine), bridges_(std::move(bridges)), shape_(shape), origin_(std::move(origin)), done_(std::move(done)) {}

  void Start(const EntityCommand& command) {
    act::ActionCommand message;
    message.set_service_name(command.entity_type);
    message.set_name(command.name);
    std::weak_ptr<StreamedDelivery> weak = shared_from_this();
    ActionStream::Handlers handlers;
    handlers.on_written = [weak](bool ok) {
      if (auto self = weak.lock(); self && ok) self->Written();
    };
    handlers.on_response = [self = shared_from_this()](act::ActionResponse response) { self->Responded(response); };
    handlers.on_finish = [self = shared_from_this()](const grpc::Status& status, bool) { self->Finished(status); };
    std::lock_guard lock(mu_);
    stream_ = ActionStream::Open(*bridges_, shape_, std::move(handlers));
    if (shape_ == ActionShape::kStreamedOut) {
      *message.mutable_payload() = command.payload;
      *message.mutable_metadata() = ToProtocol(command.metadata);
      stream_->Write(message);
      stream_->CloseWrites();
    } else {
      // The head names the call (with empty stream metadata); the event follows once it is out.
      stream_->Write(message);
      second_.emplace();
      *second_->mutable_payload() = command.payload;
      *second_->mutable_metadata() = ToProtocol(command.metadata);
    }
    stream_->Read();
    bridges_->env->ScheduleAt(bridges_->env->Now() + bridges_->relay_timeout, [weak] {
      if (auto self = weak.lock()) self->TimedOut();
    });
  }

 private:
  void Written() {
    std::lock_guard lock(mu_);
    if (!stream_ || !second_) return;
    stream_->Write(*second_);
    second_.reset();
    stream_->CloseWrites();
  }

  void Responded(const act::ActionResponse& response) {
    engine_.Release(ActionOutcome(response, *bridges_, origin_), [self = shared_from_this()](Result<CommandReply> reply) {
      self->Routed(Processed(reply));
    });
  }

  void Routed(Status status) {
    std::lock_guard lock(mu_);
    if (!stream_) return;  // timed out meanwhile
    if (!status.ok() && failure_.ok()) failure_ = status;
    if (!failure_.ok()) {
      stream_->Cancel(grpc::Status(grpc::StatusCode::CANCELLED, "a result of the event could not be routed"));
      return;
    }
    stream_->Read();
  }

  void Finished(const grpc::Status& status) {
    Done done;
    Status outcome;
    {
      std::lock_guard lock(mu_);
      if (!done_) return;
      done = std::move(done_);
      outcome = !failure_.ok() ? failure_ : status.ok() ? Status::Ok() : Unreached(origin_, status);
      stream_.reset();  // the stream holds this object through its handlers
    }
    done(std::move(outcome));
  }

  void TimedOut() {
    std::lock_guard lock(mu_);
    if (!stream_) return;
    stream_->Cancel(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                                 "no end of the stream within " + std::to_string(bridges_->relay_timeout.count()) + " ms"));
  }

  EngineExtensions& engine_;
  const std::shared_ptr<const BridgeContext> bridges_;
  const ActionShape shape_;
  const std::string origin_;
  std::mutex mu_;
  std::shared_ptr<ActionStream> stream_;
  std::optional<act::ActionCommand> second_;
  Status failure_;
  Done done_;
};

}  // namespace

EventDeliverer MakeEventLogDeliverer(const EventLogSubscription& subscription, Engine& engine,
                                     std::shared_ptr<const BridgeContext> bridges) {
  ActionStub stub = act::ActionProtocol::NewStub(bridges->channel);
  return [&subscription, &engine, bridges, stub](const FeedEvent& event, Done done) {
    Result<EventLogCommand> routed = CommandForEvent(subscription, event);
    if (!routed.ok()) return done(routed.status());
    const ServedMethod& method = *routed->method;
    std::string origin = routed->command.entity_type + "." + routed->command.name;
    EngineExtensions& extensions = ExtensionsOf(engine);
    if (subscription.service->kind != EntityKind::kAction) {
      engine.Send(std::move(routed->command), [done = std::move(done)](Result<CommandReply> reply) { done(Processed(reply)); });
      return;
    }
    if (method.descriptor->client_streaming() || method.descriptor->server_streaming()) {
      auto delivery = std::make_shared<StreamedDelivery>(extensions, bridges, StreamedShapeOf(*method.descriptor),
                                                         std::move(origin), std::move(done));
      delivery->Start(routed->command);
      return;
    }
    CallUnaryAction(*bridges, stub, routed->command,
                    [&extensions, bridges, origin, done = std::move(done)](const grpc::Status& status,
                                                                           const act::ActionResponse& response) {
                      if (!status.ok()) return done(Unreached(origin, status));
                      extensions.Release(ActionOutcome(response, *bridges, origin),
                                         [done](Result<CommandReply> reply) { done(Processed(reply)); });
                    });
  };
}

}  // namespace cloudstate::proxy
