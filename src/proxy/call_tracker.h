// Keeps count of the calls to the user function whose gRPC objects are still alive. gRPC must not
// lose the last reference to a channel on one of its own callback threads: the channel's destructor
// would join that very thread and crash. So the sidecar holds the channel until every tracked call
// is gone (cancelling the ones that outstay shutdown), and drops it on its own thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace cloudstate::proxy {

// Safe to call from any thread.
class CallTracker {
 public:
  // Held by a call for as long as its gRPC objects live: declare it first among the call's members,
  // so it goes last.
  class Token {
   public:
    Token(CallTracker& tracker, uint64_t id) : tracker_(tracker), id_(id) {}
    ~Token() { tracker_.Release(id_); }
    Token(const Token&) = delete;
    Token& operator=(const Token&) = delete;

   private:
    CallTracker& tracker_;
    const uint64_t id_;
  };

  // `cancel` ends the call at once; it may run on any thread and must tolerate a finished call.
  std::unique_ptr<Token> Track(std::function<void()> cancel) {
    std::lock_guard lock(mu_);
    uint64_t id = next_id_++;
    live_.emplace(id, std::move(cancel));
    return std::make_unique<Token>(*this, id);
  }

  // True once no call is alive, false if some still are after `timeout`.
  bool WaitIdle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return idle_.wait_for(lock, timeout, [this] { return live_.empty(); });
  }

  // Calls alive now.
  size_t Live() const {
    std::lock_guard lock(mu_);
    return live_.size();
  }

  void CancelAll() {
    std::vector<std::function<void()>> cancels;
    {
      std::lock_guard lock(mu_);
      for (const auto& [id, cancel] : live_) cancels.push_back(cancel);
    }
    // Outside the lock: a cancel may drop the last reference to its call, whose token releases here.
    for (const auto& cancel : cancels) {
      if (cancel) cancel();
    }
  }

 private:
  void Release(uint64_t id) {
    std::lock_guard lock(mu_);
    live_.erase(id);
    if (live_.empty()) idle_.notify_all();
  }

  mutable std::mutex mu_;
  std::condition_variable idle_;
  uint64_t next_id_ = 0;
  std::map<uint64_t, std::function<void()>> live_;
};

}  // namespace cloudstate::proxy
