#include "proxy/http_json_stream.h"

#include <mutex>
#include <optional>

#include "proxy/action_bridge.h"
#include "proxy/action_stream.h"
#include "proxy/grpc_status.h"
#include "proxy/http_json_mapping.h"
#include "proxy/http_json_stream_writer.h"

namespace cloudstate::proxy {
namespace {

namespace act = cloudstate::action;

// Every event — a reply from the function, the engine's routing of it, a write to the client done,
// the client gone, the function's end — takes mu_. The function's stream and the writer are called
// under it (neither runs a callback inline); the engine only outside it (its callback may run
// inline).
class HttpStreamedCall final : public std::enable_shared_from_this<HttpStreamedCall> {
 public:
  HttpStreamedCall(HttpStreamedCallParts parts, HttpRespond respond, bool head_only, CallMeter meter)
      : parts_(std::move(parts)),
        writer_(std::make_shared<HttpStreamWriter>(
            transcoding::StreamEncoder(parts_.transcoder, parts_.binding, parts_.format), std::move(respond),
            head_only)),
        origin_(parts_.service.name + "." + parts_.method.descriptor->name()),
        meter_(std::move(meter)) {}

  // Keeps itself alive until the outcome is decided; the writer lives on until the body is out.
  void Start(std::string input, MetadataEntries metadata, const std::shared_ptr<HttpCancellation>& cancellation) {
    std::weak_ptr<HttpStreamedCall> weak = shared_from_this();
    {
      std::lock_guard lock(mu_);
      self_ = shared_from_this();
    }
    // First, so that a client already gone ends the call before anything is sent.
    writer_->Start(cancellation, {[weak] {
                                    if (auto call = weak.lock()) call->Written();
                                  },
                                  [weak](const grpc::Status& why) {
                                    if (auto call = weak.lock()) call->ClientStopped(why);
                                  }});
    std::lock_guard lock(mu_);
    if (finished_) return;
    act::ActionCommand command;
    command.set_service_name(parts_.service.name);
    command.set_name(parts_.method.descriptor->name());
    command.mutable_payload()->set_type_url(parts_.method.input_type_url);
    command.mutable_payload()->set_value(std::move(input));
    for (auto& [key, value] : metadata) {
      auto* entry = command.mutable_metadata()->add_entries();
      entry->set_key(std::move(key));
      entry->set_string_value(std::move(value));
    }
    ActionStream::Handlers handlers;
    handlers.on_written = [](bool) {};  // a failed write shows as the call's end
    handlers.on_response = [weak](act::ActionResponse response) {
      if (auto call = weak.lock()) call->FunctionResponded(std::move(response));
    };
    handlers.on_finish = [weak](const grpc::Status& status, bool cancelled) {
      if (auto call = weak.lock()) call->FunctionFinished(status, cancelled);
    };
    function_ = ActionStream::Open(*parts_.bridges, ActionShape::kStreamedOut, std::move(handlers));
    function_->Write(command);
    function_->CloseWrites();
    function_->Read();
  }

 private:
  void FunctionResponded(act::ActionResponse response) {
    {
      std::lock_guard lock(mu_);
      if (finished_) return;
    }
    parts_.engine.Release(ActionOutcome(response, *parts_.bridges, origin_),
                          [self = shared_from_this()](Result<CommandReply> reply) { self->Deliver(std::move(reply)); });
  }

  void Deliver(Result<CommandReply> reply) {
    std::lock_guard lock(mu_);
    if (finished_) return;
    if (!reply.ok()) return FinishLocked(reply.status(), ToGrpcStatus(reply.status()));
    if (!reply->payload) {  // nothing for the client
      function_->Read();
      return;
    }
    // The next response is read once this one is written (Written).
    if (auto bad = writer_->Send(reply->payload->value(), reply->metadata)) FinishLocked(std::nullopt, *bad);
  }

  void Written() {
    std::lock_guard lock(mu_);
    if (!finished_) function_->Read();
  }

  void ClientStopped(const grpc::Status& why) {
    std::lock_guard lock(mu_);
    FinishLocked(std::nullopt, why);
  }

  // Whoever cancelled the function's call, its status says why.
  void FunctionFinished(const grpc::Status& status, bool /*cancelled*/) {
    std::lock_guard lock(mu_);
    function_ended_ = true;
    if (finished_) return;
    if (!status.ok()) {
      parts_.bridges->log(LogLevel::kWarning, "action " + origin_ + " (HTTP): the stream to the user function ended: " +
                                                  Describe(status));
    }
    FinishLocked(std::nullopt, status);
  }

  // Decides the outcome: `failure` is the engine's status when the command failed.
  void FinishLocked(const std::optional<Status>& failure, const grpc::Status& status) {
    if (finished_) return;
    finished_ = true;
    meter_.End(status);
    if (function_ && !function_ended_) function_->Cancel(grpc::Status(grpc::StatusCode::CANCELLED, "call ended"));
    writer_->Finish(status, failure);
    self_.reset();  // the caller holds a reference until it returns
  }

  HttpStreamedCallParts parts_;
  const std::shared_ptr<HttpStreamWriter> writer_;
  const std::string origin_;  // "<service>.<method>", for log lines and routing errors

  std::mutex mu_;
  std::shared_ptr<ActionStream> function_;
  bool function_ended_ = false;
  bool finished_ = false;
  std::shared_ptr<HttpStreamedCall> self_;
  CallMeter meter_;
};

}  // namespace

void StartHttpStreamedCall(HttpStreamedCallParts parts, std::string input, const HttpRequest& request,
                           HttpRespond respond, CallMeter meter) {
  auto call = std::make_shared<HttpStreamedCall>(std::move(parts), std::move(respond), request.method == "HEAD",
                                                 std::move(meter));
  call->Start(std::move(input), RequestMetadata(request), request.cancellation);
}

}  // namespace cloudstate::proxy
