#include "proxy/http_json_stream.h"

#include <mutex>
#include <optional>

#include "proxy/action_bridge.h"
#include "proxy/action_stream.h"
#include "proxy/grpc_status.h"
#include "proxy/http_json_mapping.h"

namespace cloudstate::proxy {
namespace {

namespace act = cloudstate::action;

// Every event — a reply from the function, the engine's routing of it, a write to the client done,
// the function's end — takes mu_. The function's stream and the client's sink are called under it
// (neither runs a callback inline); the engine only outside it (its callback may run inline).
class HttpStreamedCall final : public std::enable_shared_from_this<HttpStreamedCall> {
 public:
  HttpStreamedCall(HttpStreamedCallParts parts, HttpRespond respond, CallMeter meter)
      : parts_(std::move(parts)),
        encoder_(parts_.transcoder, parts_.binding, parts_.format),
        respond_(std::move(respond)),
        origin_(parts_.service.name + "." + parts_.method.descriptor->name()),
        meter_(std::move(meter)) {}

  // Keeps itself alive until the outcome is decided; a write in flight keeps it until it is out.
  void Start(std::string input, MetadataEntries metadata) {
    std::lock_guard lock(mu_);
    self_ = shared_from_this();
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
    std::weak_ptr<HttpStreamedCall> weak = shared_from_this();
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
    auto encoded = encoder_.EncodeReply(reply->payload->value());
    if (!encoded.ok()) {
      grpc::Status bad(grpc::StatusCode::INTERNAL, encoded.error().message);
      return FinishLocked(std::nullopt, bad);
    }
    writing_ = true;
    if (head_sent_) {
      sink_->Write(std::move(*encoded), [self = shared_from_this()](bool ok) { self->Written(ok); });
      return;
    }
    // The first reply: its metadata become the headers, its JSON the first piece of the body.
    HttpResponse head;
    head.headers.emplace_back("Content-Type", encoder_.content_type());
    AddReplyHeaders(reply->metadata, head);
    head.body = std::move(*encoded);
    SendHead(std::move(head));
  }

  void SendHead(HttpResponse head) {
    head_sent_ = true;
    // Held by the server until the head is out (or dropped, if it never goes out).
    head.stream = [self = shared_from_this()](std::shared_ptr<HttpChunkSink> sink) { self->Opened(std::move(sink)); };
    respond_(std::move(head));
  }

  void Opened(std::shared_ptr<HttpChunkSink> sink) {
    std::lock_guard lock(mu_);
    sink_ = std::move(sink);
    Written(true, lock);
  }

  void Written(bool ok) {
    std::lock_guard lock(mu_);
    Written(ok, lock);
  }

  void Written(bool ok, const std::lock_guard<std::mutex>&) {
    writing_ = false;
    if (!ok && !finished_) {
      FinishLocked(std::nullopt, grpc::Status(grpc::StatusCode::CANCELLED, "the client went away"));
      return;
    }
    if (finished_) return EndBody(ok);
    function_->Read();
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

  // Decides the outcome: `failure` is the engine's status when the command failed (a user
  // function's failure reads differently from the sidecar's own errors before the head is out).
  void FinishLocked(const std::optional<Status>& failure, const grpc::Status& status) {
    if (finished_) return;
    finished_ = true;
    meter_.End(status);
    if (function_ && !function_ended_) function_->Cancel(grpc::Status(grpc::StatusCode::CANCELLED, "call ended"));
    if (!head_sent_ && !status.ok()) {
      respond_(failure ? FailedCallResponse(*failure) : FailedCallResponse(status));
    } else if (!head_sent_) {
      HttpResponse empty;  // the function ended the stream without a reply: an empty body
      empty.headers.emplace_back("Content-Type", encoder_.content_type());
      writing_ = true;
      SendHead(std::move(empty));
    } else {
      failed_ = !status.ok();
      if (failed_) closing_record_ = encoder_.EncodeError(status.error_code(), status.error_message());
      if (!writing_) EndBody(true);
    }
    self_.reset();  // the caller holds a reference until it returns
  }

  // After the outcome: the error record (if any), then the end of the body, and the call is done.
  void EndBody(bool connection_ok) {
    if (!sink_) return;
    std::shared_ptr<HttpChunkSink> sink = std::move(sink_);
    if (connection_ok && !closing_record_.empty()) {
      sink->Write(std::move(closing_record_), [sink](bool) { sink->End(); });
    } else if (failed_) {
      sink->Abort();  // a raw stream has no error record: cut it short
    } else {
      sink->End();
    }
  }

  HttpStreamedCallParts parts_;
  transcoding::StreamEncoder encoder_;
  const HttpRespond respond_;
  const std::string origin_;  // "<service>.<method>", for log lines and routing errors

  std::mutex mu_;
  std::shared_ptr<ActionStream> function_;
  std::shared_ptr<HttpChunkSink> sink_;  // once the head is out
  bool head_sent_ = false;
  bool writing_ = false;  // the head or a piece is on its way to the client
  bool function_ended_ = false;
  bool finished_ = false;
  bool failed_ = false;  // the outcome, once finished_
  std::string closing_record_;
  std::shared_ptr<HttpStreamedCall> self_;
  CallMeter meter_;
};

}  // namespace

void StartHttpStreamedCall(HttpStreamedCallParts parts, std::string input, MetadataEntries metadata,
                           HttpRespond respond, CallMeter meter) {
  auto call = std::make_shared<HttpStreamedCall>(std::move(parts), std::move(respond), std::move(meter));
  call->Start(std::move(input), std::move(metadata));
}

}  // namespace cloudstate::proxy
