// The outcome of an asynchronous Send, shared with its callback so that a test giving up early (on
// a broken engine) leaves no callback pointing at a dead stack frame. Also counts how often the
// callback ran and whether it ran on the sending thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "cloudstate/engine.h"
#include "test_util.h"

namespace cloudstate::testing {

class Outcome : public std::enable_shared_from_this<Outcome> {
 public:
  // Runs `also` (if set) in the callback, after the reply is recorded.
  ReplyCallback Callback(std::function<void(const Result<CommandReply>&)> also = nullptr);

  bool Done() const { return calls_.load() > 0; }
  bool Wait(std::chrono::milliseconds timeout = kDeadline) const;
  // The reply; only after Done().
  Result<CommandReply> Get() const;
  StatusCode Code() const { return CodeOf(Get()); }
  int Calls() const { return calls_.load(); }
  bool RanOnThread(std::thread::id id) const;

 private:
  mutable std::mutex mu_;
  std::optional<Result<CommandReply>> reply_;
  std::thread::id thread_;
  std::atomic<int> calls_{0};
};

std::shared_ptr<Outcome> SendAsync(Engine& engine, EntityCommand command,
                                   std::function<void(const Result<CommandReply>&)> also = nullptr);

}  // namespace cloudstate::testing
