#include "outcome.h"

namespace cloudstate::testing {

ReplyCallback Outcome::Callback(std::function<void(const Result<CommandReply>&)> also) {
  return [self = shared_from_this(), also = std::move(also)](Result<CommandReply> reply) {
    {
      std::lock_guard lock(self->mu_);
      if (!self->reply_) self->reply_.emplace(reply);
      self->thread_ = std::this_thread::get_id();
    }
    if (also) also(reply);
    self->calls_++;
  };
}

bool Outcome::Wait(std::chrono::milliseconds timeout) const {
  return WaitUntil([this] { return Done(); }, timeout);
}

Result<CommandReply> Outcome::Get() const {
  std::lock_guard lock(mu_);
  if (!reply_) return Status::Internal("test: no reply yet");
  return *reply_;
}

bool Outcome::RanOnThread(std::thread::id id) const {
  std::lock_guard lock(mu_);
  return thread_ == id;
}

std::shared_ptr<Outcome> SendAsync(Engine& engine, EntityCommand command,
                                   std::function<void(const Result<CommandReply>&)> also) {
  auto outcome = std::make_shared<Outcome>();
  engine.Send(std::move(command), outcome->Callback(std::move(also)));
  return outcome;
}

}  // namespace cloudstate::testing
