// Tells the handler of a request that nobody waits for the rest of its response any more: the
// client closed or reset its connection, or the request was HEAD and the head is out. A handler
// that relays a stream uses it to stop the work done only for that client at once, instead of at
// its next write. Safe to use from any thread.
#pragma once

#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace cloudstate::proxy {

class HttpCancellation {
 public:
  // Runs `callback` once the request is cancelled: now, on this thread, if it already is; else on
  // the thread that cancels it (the connection's I/O thread). It must not block.
  void OnCancel(std::function<void()> callback) {
    {
      std::lock_guard lock(mu_);
      if (!cancelled_) {
        callbacks_.push_back(std::move(callback));
        return;
      }
    }
    callback();
  }

  // Runs the callbacks; later calls do nothing.
  void Cancel() {
    std::vector<std::function<void()>> callbacks;
    {
      std::lock_guard lock(mu_);
      if (cancelled_) return;
      cancelled_ = true;
      callbacks.swap(callbacks_);
    }
    for (auto& callback : callbacks) callback();
  }

  bool cancelled() const {
    std::lock_guard lock(mu_);
    return cancelled_;
  }

 private:
  mutable std::mutex mu_;
  bool cancelled_ = false;
  std::vector<std::function<void()>> callbacks_;
};

}  // namespace cloudstate::proxy
