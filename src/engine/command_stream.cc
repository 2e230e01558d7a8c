#include "engine/command_stream.h"

#include <utility>

namespace cloudstate {

EngineStream::EngineStream(Release release, StreamCallbacks callbacks)
    : release_(std::move(release)), callbacks_(std::move(callbacks)) {}

void EngineStream::Send(CommandOutcome message) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Item{std::move(message), Status::Ok()});
  }
  Pump();
}

void EngineStream::End(Status status) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Item{std::nullopt, std::move(status)});
  }
  Pump();
}

void EngineStream::OnCancel(std::function<void()> cancelled) {
  {
    std::lock_guard lock(mu_);
    if (!cancelled_) {
      on_cancel_ = std::move(cancelled);
      return;
    }
  }
  cancelled();
}

void EngineStream::Reply(Result<CommandReply> reply) {
  if (!reply.ok()) {
    Finish(reply.status());
  } else {
    bool deliver;
    {
      std::lock_guard lock(mu_);
      deliver = !finished_;
    }
    if (deliver && callbacks_.on_accepted) callbacks_.on_accepted(reply->metadata);
    if (deliver && reply->payload && callbacks_.on_message) callbacks_.on_message(std::move(*reply));
  }
  {
    std::lock_guard lock(mu_);
    replied_ = true;
  }
  Pump();
}

void EngineStream::Cancel() {
  std::function<void()> on_cancel;
  {
    std::lock_guard lock(mu_);
    if (finished_ || cancelled_) return;
    cancelled_ = true;
    on_cancel = std::move(on_cancel_);
  }
  Finish(Status::Unavailable("the caller cancelled the stream"));
  if (on_cancel) on_cancel();
}

void EngineStream::Pump() {
  std::unique_lock lock(mu_);
  if (pumping_) return;
  pumping_ = true;
  while (replied_ && !in_release_ && !queue_.empty()) {
    Item item = std::move(queue_.front());
    queue_.pop_front();
    if (!item.message) {
      lock.unlock();
      Finish(std::move(item.end));
      lock.lock();
      continue;
    }
    CommandOutcome message = std::move(*item.message);
    if (finished_) {
      // Nobody listens any more; a cancelled caller's messages still run their side effects.
      if (!cancelled_ || message.side_effects.empty()) continue;
      message.reply = CommandReply{};
      message.forward.reset();
    }
    in_release_ = true;
    lock.unlock();
    release_(std::move(message), [self = shared_from_this()](Result<CommandReply> result) {
      self->Delivered(std::move(result));
    });
    lock.lock();
  }
  pumping_ = false;
}

void EngineStream::Delivered(Result<CommandReply> result) {
  bool listening;
  {
    std::lock_guard lock(mu_);
    listening = !finished_;
  }
  if (listening) {
    if (!result.ok()) {
      Finish(result.status());
    } else if (result->payload && callbacks_.on_message) {
      callbacks_.on_message(std::move(*result));
    }
  }
  {
    std::lock_guard lock(mu_);
    in_release_ = false;
  }
  Pump();
}

void EngineStream::Finish(Status status) {
  {
    std::lock_guard lock(mu_);
    if (finished_) return;
    finished_ = true;
  }
  if (callbacks_.on_end) callbacks_.on_end(std::move(status));
}

namespace {

class StreamHandle final : public CommandStream {
 public:
  explicit StreamHandle(std::shared_ptr<EngineStream> stream) : stream_(std::move(stream)) {}
  ~StreamHandle() override { stream_->Cancel(); }
  void Cancel() override { stream_->Cancel(); }

 private:
  std::shared_ptr<EngineStream> stream_;
};

}  // namespace

std::unique_ptr<CommandStream> SendStreamed(Engine& engine, EntityCommand command, StreamCallbacks callbacks) {
  EngineExtensions& extensions = ExtensionsOf(engine);
  auto stream = std::make_shared<EngineStream>(
      [&extensions](CommandOutcome outcome, ReplyCallback done) { extensions.Release(std::move(outcome), std::move(done)); },
      std::move(callbacks));
  extensions.DispatchStreamed(std::move(command),
                              [stream](Result<CommandReply> reply) { stream->Reply(std::move(reply)); }, stream);
  return std::make_unique<StreamHandle>(std::move(stream));
}

}  // namespace cloudstate
