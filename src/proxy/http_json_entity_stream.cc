#include "proxy/http_json_entity_stream.h"

#include <memory>
#include <mutex>

#include "proxy/client_command.h"
#include "proxy/grpc_status.h"
#include "proxy/http_json_stream_writer.h"
#include "proxy/streamed_entity_command.h"

namespace cloudstate::proxy {
namespace {

// The entity's messages are pushed to the writer as they come (it queues them while one is being
// written), as the gRPC twin does. Engine events and the client's going away take mu_; the writer
// is called under it, the command only outside it (its callbacks may run inline).
class HttpStreamedEntityCall final : public std::enable_shared_from_this<HttpStreamedEntityCall> {
 public:
  HttpStreamedEntityCall(HttpStreamedEntityCallParts parts, HttpRespond respond, bool head_only, CallMeter meter)
      : parts_(std::move(parts)),
        writer_(std::make_shared<HttpStreamWriter>(
            transcoding::StreamEncoder(parts_.transcoder, parts_.binding, parts_.format), std::move(respond),
            head_only)),
        meter_(std::move(meter)) {}

  // The engine's callbacks and the writer's reach the call only while it lives; it lives until the
  // outcome is decided.
  void Start(std::string input, const std::shared_ptr<HttpCancellation>& cancellation) {
    std::weak_ptr<HttpStreamedEntityCall> weak = shared_from_this();
    {
      std::lock_guard lock(mu_);
      self_ = shared_from_this();
    }
    writer_->Start(cancellation, {nullptr, [weak](const grpc::Status& why) {
                                    if (auto call = weak.lock()) call->ClientStopped(why);
                                  }});
    // Entity commands carry no headers, as over gRPC.
    Result<EntityCommand> command =
        ClientCommand(parts_.service, parts_.method, std::move(input), [] { return MetadataEntries{}; });
    if (!command.ok()) {
      std::lock_guard lock(mu_);
      return FinishLocked(command.status(), ToGrpcStatus(command.status()));
    }
    StreamCallbacks callbacks;
    callbacks.on_message = [weak](CommandReply message) {
      if (auto call = weak.lock()) call->Message(std::move(message));
    };
    callbacks.on_end = [weak](Status status) {
      if (auto call = weak.lock()) call->Ended(std::move(status));
    };
    command_.Start(parts_.engine, std::move(*command), std::move(callbacks));  // nothing if the client is gone
  }

 private:
  void Message(CommandReply message) {
    bool broken = false;
    {
      std::lock_guard lock(mu_);
      if (finished_ || !message.payload) return;
      if (auto bad = writer_->Send(message.payload->value(), message.metadata)) {
        FinishLocked(std::nullopt, *bad);
        broken = true;
      }
    }
    if (broken) command_.Cancel();
  }

  // OK when the entity ended the stream or stopped serving it; the command's failure otherwise.
  void Ended(Status status) {
    std::lock_guard lock(mu_);
    FinishLocked(status.ok() ? std::nullopt : std::optional<Status>(status), ToGrpcStatus(status));
  }

  void ClientStopped(const grpc::Status& why) {
    {
      std::lock_guard lock(mu_);
      FinishLocked(std::nullopt, why);
    }
    command_.Cancel();  // the entity hears that the caller went away
  }

  void FinishLocked(const std::optional<Status>& failure, const grpc::Status& status) {
    if (finished_) return;
    finished_ = true;
    meter_.End(status);
    writer_->Finish(status, failure);
    self_.reset();  // the caller holds a reference until it returns
  }

  HttpStreamedEntityCallParts parts_;
  const std::shared_ptr<HttpStreamWriter> writer_;
  StreamedEntityCommand command_;

  std::mutex mu_;
  bool finished_ = false;
  std::shared_ptr<HttpStreamedEntityCall> self_;
  CallMeter meter_;
};

}  // namespace

void StartHttpStreamedEntityCall(HttpStreamedEntityCallParts parts, std::string input, const HttpRequest& request,
                                 HttpRespond respond, CallMeter meter) {
  auto call = std::make_shared<HttpStreamedEntityCall>(std::move(parts), std::move(respond), request.method == "HEAD",
                                                       std::move(meter));
  call->Start(std::move(input), request.cancellation);
}

}  // namespace cloudstate::proxy
