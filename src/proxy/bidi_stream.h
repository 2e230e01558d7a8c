// A client bidirectional stream to the user function on gRPC's callback API: sends are queued (gRPC
// allows one write in flight), every received message goes to a handler, and the end of the stream
// is reported once. The object keeps itself alive until gRPC is done with it, and is tracked (see
// CallTracker) until it is destroyed.
#pragma once

#include <grpcpp/grpcpp.h>

#include <deque>
#include <functional>
#include <memory>
#include <mutex>

#include "proxy/call_tracker.h"

namespace cloudstate::proxy {

template <typename Out, typename In>
class BidiStream final : public grpc::ClientBidiReactor<Out, In> {
 public:
  struct Handlers {
    std::function<void(In message)> on_message;          // on a gRPC thread, one at a time
    std::function<void(const grpc::Status&)> on_finish;  // once, after the last message
  };
  // Starts the call: `start(context, reactor)` must call the stub's async()->method(context, reactor).
  using StartFn = std::function<void(grpc::ClientContext*, grpc::ClientBidiReactor<Out, In>*)>;

  static std::shared_ptr<BidiStream> Open(const StartFn& start, Handlers handlers, CallTracker& calls) {
    std::shared_ptr<BidiStream> stream(new BidiStream(std::move(handlers)));
    stream->token_ = calls.Track([weak = std::weak_ptr<BidiStream>(stream)] {
      if (auto open = weak.lock()) open->Cancel();
    });
    stream->self_ = stream;
    start(&stream->context_, stream.get());
    stream->StartRead(&stream->incoming_);
    stream->AddHold();  // released by Close() or Cancel(), so writes-done waits for our queue
    stream->StartCall();
    return stream;
  }

  void Send(Out message) {
    std::lock_guard lock(mu_);
    if (closing_) return;
    outgoing_.push_back(std::move(message));
    if (outgoing_.size() == 1) this->StartWrite(&outgoing_.front());
  }

  // Half-closes once every queued message is written; the user function sees end-of-stream.
  void Close() {
    std::lock_guard lock(mu_);
    if (closing_) return;
    closing_ = true;
    if (outgoing_.empty()) FinishWrites();
  }

  // Ends the call at once (RST); on_finish follows with CANCELLED.
  void Cancel() {
    context_.TryCancel();
    std::lock_guard lock(mu_);
    if (!closing_) {
      closing_ = true;
      if (outgoing_.empty()) FinishWrites();
    }
  }

 private:
  explicit BidiStream(Handlers handlers) : handlers_(std::move(handlers)) {}

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(mu_);
    outgoing_.pop_front();
    if (!ok) {  // the stream is broken; OnDone will report it
      outgoing_.clear();
      closing_ = true;
    }
    if (!outgoing_.empty()) {
      this->StartWrite(&outgoing_.front());
    } else if (closing_) {
      FinishWrites();
    }
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      // The user function ended its side: stop writing too, so OnDone can report the status.
      std::lock_guard lock(mu_);
      closing_ = true;
      if (outgoing_.empty()) FinishWrites();
      return;
    }
    handlers_.on_message(std::move(incoming_));
    incoming_.Clear();
    this->StartRead(&incoming_);
  }

  void OnDone(const grpc::Status& status) override {
    handlers_.on_finish(status);
    self_.reset();  // may delete this
  }

  // With mu_ held.
  void FinishWrites() {
    if (writes_done_) return;
    writes_done_ = true;
    this->StartWritesDone();
    this->RemoveHold();
  }

  std::unique_ptr<CallTracker::Token> token_;  // first: released after the context has let go of the channel
  Handlers handlers_;
  grpc::ClientContext context_;
  In incoming_;
  std::mutex mu_;
  std::deque<Out> outgoing_;
  bool closing_ = false;
  bool writes_done_ = false;
  std::shared_ptr<BidiStream> self_;
};

}  // namespace cloudstate::proxy
