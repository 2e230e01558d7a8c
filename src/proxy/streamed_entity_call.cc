#include "proxy/streamed_entity_call.h"

#include <deque>
#include <memory>
#include <mutex>
#include <optional>

#include "cloudstate/crdt_entity.h"
#include "proxy/byte_buffer.h"
#include "proxy/client_command.h"
#include "proxy/grpc_status.h"
#include "proxy/streamed_entity_command.h"

namespace cloudstate::proxy {
namespace {

// One call. Events from the client and from the engine take mu_; gRPC operations are started
// under it (gRPC never runs a reaction inline in them), the command is only started or cancelled
// outside it (its callbacks may run inline). Messages wait in a queue while one write is in
// flight; the call ends after the last of them.
class StreamedEntityCall final : public grpc::ServerGenericBidiReactor,
                                 public std::enable_shared_from_this<StreamedEntityCall> {
 public:
  StreamedEntityCall(grpc::GenericCallbackServerContext* context, const ServedService& service,
                     const ServedMethod& method, Engine& engine, CallMeter meter)
      : context_(context), service_(service), method_(method), engine_(engine), meter_(std::move(meter)) {}

  // Keeps itself alive until OnDone; the engine's callbacks reach it only while it lives.
  void Begin() {
    std::lock_guard lock(mu_);
    self_ = shared_from_this();
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    EntityCommand command;
    {
      std::lock_guard lock(mu_);
      if (finished_) return;
      if (!ok) {
        if (!context_->IsCancelled()) {
          FinishLocked(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "expected one request message"));
        }
        return;
      }
      // Entity services only: no headers are read.
      Result<EntityCommand> built =
          ClientCommand(service_, method_, ToString(request_), [] { return MetadataEntries{}; });
      if (!built.ok()) {
        FinishLocked(ToGrpcStatus(built.status()));
        return;
      }
      command = std::move(*built);
    }
    std::weak_ptr<StreamedEntityCall> weak = shared_from_this();
    StreamCallbacks callbacks;
    callbacks.on_accepted = [weak](const MetadataEntries& metadata) {
      if (auto call = weak.lock()) call->Accepted(metadata);
    };
    callbacks.on_message = [weak](CommandReply message) {
      if (auto call = weak.lock()) call->Message(std::move(message));
    };
    callbacks.on_end = [weak](Status status) {
      if (auto call = weak.lock()) call->Ended(std::move(status));
    };
    command_.Start(engine_, std::move(command), std::move(callbacks));
  }

  void OnWriteDone(bool ok) override {
    bool abandoned = false;
    {
      std::lock_guard lock(mu_);
      writing_ = false;
      if (!outgoing_.empty()) outgoing_.pop_front();
      if (pending_finish_) {
        Finish(*pending_finish_);
        return;
      }
      if (finished_) return;
      if (!ok) {  // the client is gone; OnCancel usually says so too
        FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "the client went away"));
        abandoned = true;
      } else if (!outgoing_.empty()) {
        WriteNextLocked();
      } else if (end_) {
        FinishLocked(*end_);
      }
    }
    if (abandoned) command_.Cancel();
  }

  void OnCancel() override {
    {
      std::lock_guard lock(mu_);
      FinishLocked(grpc::Status::CANCELLED);  // gRPC drops the status of a cancelled call
    }
    command_.Cancel();  // the entity hears that the caller went away
  }

  void OnDone() override {
    std::shared_ptr<StreamedEntityCall> self;
    {
      std::lock_guard lock(mu_);
      self = std::move(self_);
    }
  }  // `self` may delete this, and with it the command (ended or cancelled by now)

 private:
  // The reply's metadata become the headers, sent at once: a client sees that its call was taken
  // even when nothing is sent for a while (a subscription to a CRDT that does not change).
  void Accepted(const MetadataEntries& metadata) {
    std::lock_guard lock(mu_);
    if (finished_ || end_) return;
    for (const auto& [key, value] : metadata) context_->AddInitialMetadata(key, value);
    StartSendInitialMetadata();
  }

  void Message(CommandReply message) {
    std::lock_guard lock(mu_);
    if (finished_ || end_) return;
    if (!message.payload) return;
    outgoing_.push_back(ToByteBuffer(message.payload->value()));
    if (!writing_) WriteNextLocked();
  }

  void Ended(Status status) {
    std::lock_guard lock(mu_);
    if (finished_ || end_) return;
    end_ = ToGrpcStatus(status);
    if (!writing_ && outgoing_.empty()) FinishLocked(*end_);
  }

  void WriteNextLocked() {
    writing_ = true;
    StartWrite(&outgoing_.front());
  }

  // Ends the client's call, after the write in flight if any.
  void FinishLocked(const grpc::Status& status) {
    if (finished_) return;
    finished_ = true;
    meter_.End(status);
    if (writing_) {
      pending_finish_ = status;
    } else {
      Finish(status);
    }
  }

  grpc::GenericCallbackServerContext* const context_;  // valid until OnDone
  const ServedService& service_;
  const ServedMethod& method_;
  Engine& engine_;

  std::mutex mu_;
  grpc::ByteBuffer request_;
  std::deque<grpc::ByteBuffer> outgoing_;  // the front one is being written while writing_
  bool writing_ = false;
  bool finished_ = false;              // no more operations on the call, except a pending Finish
  std::optional<grpc::Status> end_;    // how the command's stream ended, once the queue is written
  std::optional<grpc::Status> pending_finish_;
  StreamedEntityCommand command_;
  std::shared_ptr<StreamedEntityCall> self_;
  CallMeter meter_;
};

}  // namespace

grpc::ServerGenericBidiReactor* NewStreamedEntityCall(grpc::GenericCallbackServerContext* context,
                                                      const ServedService& service, const ServedMethod& method,
                                                      Engine& engine, CallMeter meter) {
  auto call = std::make_shared<StreamedEntityCall>(context, service, method, engine, std::move(meter));
  call->Begin();
  return call.get();
}

}  // namespace cloudstate::proxy
