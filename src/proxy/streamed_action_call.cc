#include "proxy/streamed_action_call.h"

#include <mutex>
#include <optional>
#include <string>

#include "proxy/action_bridge.h"
#include "proxy/action_stream.h"
#include "proxy/byte_buffer.h"
#include "proxy/grpc_status.h"

namespace cloudstate::proxy {
namespace {

namespace act = cloudstate::action;

// One call. Every event — from the client, from the function, from the engine, from the relay
// timer — takes mu_; gRPC operations are started under it (gRPC never runs a reaction inline in
// them), the engine is only called outside it (its callback may run inline).
//
// Each direction carries one message at a time: the next client message is read once the last is
// written to the function, and the next response is read once the last has been routed and
// written to the client, which also keeps the responses in order.
class StreamedActionCall final : public grpc::ServerGenericBidiReactor,
                                 public std::enable_shared_from_this<StreamedActionCall> {
 public:
  StreamedActionCall(grpc::GenericCallbackServerContext* context, const ServedService& service,
                     const ServedMethod& method, EngineExtensions& engine, std::shared_ptr<const BridgeContext> bridges,
                     CallMeter meter)
      : context_(context),
        service_(service),
        method_(method),
        engine_(engine),
        bridges_(std::move(bridges)),
        shape_(StreamedShapeOf(*method.descriptor)),
        origin_(service.name + "." + method.descriptor->name()),
        meter_(std::move(meter)) {}

  // Keeps itself alive until OnDone; callbacks of the function's stream, the engine and the timer
  // hold it as long as they need it.
  void Begin() {
    std::lock_guard lock(mu_);
    self_ = shared_from_this();
    if (shape_ == ActionShape::kStreamedOut) {
      StartRead(&request_);  // the one request; the function's call starts with it
      return;
    }
    // The head names the call and carries the request headers; messages follow once it is out.
    OpenFunctionStream();
    act::ActionCommand head;
    head.set_service_name(service_.name);
    head.set_name(method_.descriptor->name());
    *head.mutable_metadata() = RequestHeaders();
    function_->Write(head);
    function_->Read();
  }

  void OnReadDone(bool ok) override {
    std::lock_guard lock(mu_);
    if (finished_) return;
    if (!ok) {
      if (context_->IsCancelled()) return;  // OnCancel deals with it
      if (shape_ == ActionShape::kStreamedOut) {
        FinishLocked(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "expected one request message"));
        return;
      }
      function_->CloseWrites();
      if (shape_ == ActionShape::kStreamedIn) StartRelayTimer();
      return;
    }
    act::ActionCommand command;
    command.mutable_payload()->set_type_url(method_.input_type_url);
    command.mutable_payload()->set_value(ToString(request_));
    request_.Clear();
    if (shape_ == ActionShape::kStreamedOut) {
      // A single command, as for unary calls: it names the call and carries the headers.
      command.set_service_name(service_.name);
      command.set_name(method_.descriptor->name());
      *command.mutable_metadata() = RequestHeaders();
      OpenFunctionStream();
      function_->Write(command);
      function_->CloseWrites();
      function_->Read();
      return;
    }
    command.mutable_metadata();  // present but empty: the stream's metadata went with the head
    function_->Write(command);
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(mu_);
    writing_ = false;
    if (pending_finish_) {
      Finish(*pending_finish_);
      return;
    }
    if (finished_) return;
    if (!ok) {  // the client is gone; OnCancel usually says so too
      FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "the client went away"));
      return;
    }
    function_->Read();
  }

  void OnCancel() override {
    std::lock_guard lock(mu_);
    FinishLocked(grpc::Status::CANCELLED);  // gRPC drops the status of a cancelled call
  }

  void OnDone() override {
    std::shared_ptr<StreamedActionCall> self;
    {
      std::lock_guard lock(mu_);
      self = std::move(self_);
    }
  }  // `self` may delete this

 private:
  void OpenFunctionStream() {
    std::weak_ptr<StreamedActionCall> weak = shared_from_this();
    ActionStream::Handlers handlers;
    handlers.on_written = [weak](bool ok) {
      if (auto call = weak.lock()) call->FunctionWritten(ok);
    };
    handlers.on_response = [weak](act::ActionResponse response) {
      if (auto call = weak.lock()) call->FunctionResponded(std::move(response));
    };
    handlers.on_finish = [weak](const grpc::Status& status, bool cancelled) {
      if (auto call = weak.lock()) call->FunctionFinished(status, cancelled);
    };
    function_ = ActionStream::Open(*bridges_, shape_, std::move(handlers));
  }

  cloudstate::Metadata RequestHeaders() const {
    cloudstate::Metadata metadata;
    for (const auto& [key, value] : context_->client_metadata()) {
      auto* entry = metadata.add_entries();
      entry->set_key(std::string(key.data(), key.size()));
      entry->set_string_value(std::string(value.data(), value.size()));
    }
    return metadata;
  }

  void FunctionWritten(bool ok) {
    std::lock_guard lock(mu_);
    // Not ok: the function's call broke; FunctionFinished brings its status.
    if (finished_ || !ok || shape_ == ActionShape::kStreamedOut) return;
    StartRead(&request_);
  }

  void FunctionResponded(act::ActionResponse response) {
    {
      std::lock_guard lock(mu_);
      if (finished_) return;
      if (shape_ == ActionShape::kStreamedIn && answered_) {
        // The client expects one message; a second one would break its call.
        bridges_->log(LogLevel::kWarning, "action " + origin_ + ": the user function sent a second response to a "
                                                                 "client-streaming call; ignored");
        function_->Read();
        return;
      }
      answered_ = true;
    }
    // Side effects and forwards run in the engine; responses stay in order because the next is read
    // only after this one is delivered.
    engine_.Release(ActionOutcome(response, *bridges_, origin_),
                    [self = shared_from_this()](Result<CommandReply> reply) { self->Deliver(std::move(reply)); });
  }

  void Deliver(Result<CommandReply> reply) {
    std::lock_guard lock(mu_);
    if (finished_) return;
    if (!reply.ok()) {
      FinishLocked(ToGrpcStatus(reply.status()));
      return;
    }
    if (!headers_decided_) {  // only the first response's metadata become headers
      headers_decided_ = true;
      for (const auto& [key, value] : reply->metadata) context_->AddInitialMetadata(key, value);
    }
    if (!reply->payload) {  // nothing for the client
      function_->Read();
      return;
    }
    response_ = ToByteBuffer(reply->payload->value());
    writing_ = true;
    StartWrite(&response_);
  }

  // `cancelled`: by the sidecar, and the status says why.
  void FunctionFinished(const grpc::Status& status, bool cancelled) {
    std::lock_guard lock(mu_);
    function_ended_ = true;
    if (finished_) return;
    if (!status.ok()) {
      bridges_->log(LogLevel::kWarning, "action " + origin_ + ": the stream to the user function ended: " +
                                            Describe(status));
    }
    FinishLocked(cancelled ? status : ClientStatus(status));
  }

  // The status the function ended its call with, as the client gets it: its own, except that a
  // broken connection says where it broke.
  static grpc::Status ClientStatus(const grpc::Status& status) {
    if (status.error_code() != grpc::StatusCode::CANCELLED && status.error_code() != grpc::StatusCode::UNAVAILABLE) {
      return status;
    }
    return grpc::Status(status.error_code(), "the user function's stream broke: " + Describe(status));
  }

  // Only a client-streaming call waits for an answer that must come: after the client's last message.
  void StartRelayTimer() {
    std::weak_ptr<StreamedActionCall> weak = shared_from_this();
    bridges_->env->ScheduleAt(bridges_->env->Now() + bridges_->relay_timeout, [weak] {
      if (auto call = weak.lock()) call->RelayTimedOut();
    });
  }

  void RelayTimedOut() {
    std::lock_guard lock(mu_);
    if (finished_ || answered_) return;
    std::string why = "no response from the user function within " + std::to_string(bridges_->relay_timeout.count()) +
                      " ms of the client's last message";
    bridges_->log(LogLevel::kError, "action " + origin_ + ": " + why);
    FinishLocked(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, why));
  }

  // Ends the client's call (after the write in flight, if any) and the function's.
  void FinishLocked(const grpc::Status& status) {
    if (finished_) return;
    finished_ = true;
    meter_.End(status);
    if (function_ && !function_ended_) function_->Cancel(grpc::Status(grpc::StatusCode::CANCELLED, "call ended"));
    if (writing_) {
      pending_finish_ = status;
    } else {
      Finish(status);
    }
  }

  grpc::GenericCallbackServerContext* const context_;  // valid until OnDone
  const ServedService& service_;
  const ServedMethod& method_;
  EngineExtensions& engine_;
  const std::shared_ptr<const BridgeContext> bridges_;
  const ActionShape shape_;
  const std::string origin_;  // "<service>.<method>", for log lines and routing errors

  std::mutex mu_;
  std::shared_ptr<ActionStream> function_;
  grpc::ByteBuffer request_;   // the client message being read
  grpc::ByteBuffer response_;  // the reply being written
  bool writing_ = false;
  bool answered_ = false;         // the function has sent a response
  bool headers_decided_ = false;  // the first response was delivered
  bool function_ended_ = false;
  bool finished_ = false;  // no more operations on the client's call, except a pending Finish
  std::optional<grpc::Status> pending_finish_;
  std::shared_ptr<StreamedActionCall> self_;
  CallMeter meter_;
};

}  // namespace

grpc::ServerGenericBidiReactor* NewStreamedActionCall(grpc::GenericCallbackServerContext* context,
                                                      const ServedService& service, const ServedMethod& method,
                                                      EngineExtensions& engine,
                                                      std::shared_ptr<const BridgeContext> bridges, CallMeter meter) {
  auto call = std::make_shared<StreamedActionCall>(context, service, method, engine, std::move(bridges),
                                                   std::move(meter));
  call->Begin();
  return call.get();
}

}  // namespace cloudstate::proxy
