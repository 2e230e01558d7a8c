#include "function/grpc_action_service.h"

#include <deque>
#include <utility>

#include "function/action_session.h"

namespace cloudstate::function {
namespace {

using ActionCommand = ::cloudstate::action::ActionCommand;
using ActionResponse = ::cloudstate::action::ActionResponse;

// Client streaming: every message goes to the session; the single response goes out with Finish.
class StreamedInReactor final : public grpc::ServerReadReactor<ActionCommand> {
 public:
  StreamedInReactor(std::shared_ptr<const Registry> registry, grpc::CallbackServerContext* context,
                    ActionResponse* response)
      : session_(std::move(registry), ActionShape::kStreamedIn), context_(context), response_(response) {
    StartRead(&in_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      if (context_->IsCancelled()) {
        Finish(grpc::Status::CANCELLED);
        return;
      }
      Answer(session_.End());
      return;
    }
    ActionStep step = started_ ? session_.Next(in_) : session_.Start(in_);
    started_ = true;
    in_.Clear();
    if (step.finish) {
      Answer(std::move(step));
      return;
    }
    StartRead(&in_);
  }

  void OnDone() override { delete this; }

 private:
  void Answer(ActionStep step) {
    if (!step.out.empty()) *response_ = std::move(step.out.front());
    Finish(grpc::Status::OK);
  }

  ActionSession session_;
  grpc::CallbackServerContext* const context_;
  ActionResponse* const response_;
  ActionCommand in_;
  bool started_ = false;
};

// Writes a queue of responses one at a time; the subclass decides what follows.
template <typename Base>
class QueueWriter : public Base {
 protected:
  void Enqueue(std::vector<ActionResponse> responses) {
    for (ActionResponse& response : responses) queue_.push_back(std::move(response));
  }
  // Starts the next write; false when the queue is empty.
  bool WriteNext() {
    if (queue_.empty()) return false;
    current_ = std::move(queue_.front());
    queue_.pop_front();
    this->StartWrite(&current_);
    return true;
  }

 private:
  std::deque<ActionResponse> queue_;
  ActionResponse current_;
};

// Server streaming: the handler runs at once; its responses are written in order, then the call
// completes with OK.
class StreamedOutReactor final : public QueueWriter<grpc::ServerWriteReactor<ActionResponse>> {
 public:
  StreamedOutReactor(std::shared_ptr<const Registry> registry, const ActionCommand& command) {
    ActionSession session(std::move(registry), ActionShape::kStreamedOut);
    Enqueue(std::move(session.Start(command).out));
    if (!WriteNext()) Finish(grpc::Status::OK);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the stream broke while writing"));
      return;
    }
    if (!WriteNext()) Finish(grpc::Status::OK);
  }

  void OnDone() override { delete this; }
};

// Duplex: read a message, write what the session answers, then read the next.
class StreamedReactor final : public QueueWriter<grpc::ServerBidiReactor<ActionCommand, ActionResponse>> {
 public:
  StreamedReactor(std::shared_ptr<const Registry> registry, grpc::CallbackServerContext* context)
      : session_(std::move(registry), ActionShape::kStreamed), context_(context) {
    StartRead(&in_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      if (context_->IsCancelled()) {
        End(grpc::Status::CANCELLED);
        return;
      }
      Continue(session_.End());
      return;
    }
    ActionStep step = started_ ? session_.Next(in_) : session_.Start(in_);
    started_ = true;
    in_.Clear();
    Continue(std::move(step));
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      End(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the stream broke while writing"));
      return;
    }
    if (WriteNext()) return;
    if (finish_) {
      End(grpc::Status::OK);
    } else {
      StartRead(&in_);
    }
  }

  void OnDone() override { delete this; }

 private:
  void Continue(ActionStep step) {
    finish_ = step.finish;
    Enqueue(std::move(step.out));
    if (WriteNext()) return;
    if (finish_) {
      End(grpc::Status::OK);
    } else {
      StartRead(&in_);
    }
  }

  void End(grpc::Status status) {
    if (finished_) return;
    finished_ = true;
    Finish(std::move(status));
  }

  ActionSession session_;
  grpc::CallbackServerContext* const context_;
  ActionCommand in_;
  bool started_ = false;
  bool finish_ = false;
  bool finished_ = false;
};

}  // namespace

grpc::ServerUnaryReactor* ActionService::handleUnary(grpc::CallbackServerContext* context,
                                                     const ActionCommand* command, ActionResponse* response) {
  ActionSession session(registry_, ActionShape::kUnary);
  ActionStep step = session.Start(*command);
  if (!step.out.empty()) *response = std::move(step.out.front());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerReadReactor<ActionCommand>* ActionService::handleStreamedIn(grpc::CallbackServerContext* context,
                                                                        ActionResponse* response) {
  return new StreamedInReactor(registry_, context, response);
}

grpc::ServerWriteReactor<ActionResponse>* ActionService::handleStreamedOut(grpc::CallbackServerContext*,
                                                                           const ActionCommand* command) {
  return new StreamedOutReactor(registry_, *command);
}

grpc::ServerBidiReactor<ActionCommand, ActionResponse>* ActionService::handleStreamed(
    grpc::CallbackServerContext* context) {
  return new StreamedReactor(registry_, context);
}

}  // namespace cloudstate::function
