// Runs tasks one at a time in the order they were posted, on the posting threads: whoever posts
// to an idle queue drains it. A task may post more (they run after it), so code run from the
// queue never re-enters itself, and needs no lock of its own.
#pragma once

#include <deque>
#include <functional>
#include <mutex>

namespace cloudstate::crdtentity {

class SerialQueue {
 public:
  void Post(std::function<void()> task) {
    {
      std::lock_guard lock(mu_);
      tasks_.push_back(std::move(task));
      if (draining_) return;
      draining_ = true;
    }
    for (;;) {
      std::function<void()> next;
      {
        std::lock_guard lock(mu_);
        if (tasks_.empty()) {
          draining_ = false;
          return;
        }
        next = std::move(tasks_.front());
        tasks_.pop_front();
      }
      next();
    }
  }

 private:
  std::mutex mu_;
  std::deque<std::function<void()>> tasks_;
  bool draining_ = false;
};

}  // namespace cloudstate::crdtentity
