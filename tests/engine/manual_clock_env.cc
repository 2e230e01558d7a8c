#include "manual_clock_env.h"

#include <algorithm>

#include "test_util.h"

namespace cloudstate::testing {

ManualClockEnv::ManualClockEnv(int worker_threads)
    : now_(Clock::now()), pool_(NewDefaultEnv(worker_threads)) {}

Env::Clock::time_point ManualClockEnv::Now() {
  std::lock_guard lock(mu_);
  return now_;
}

void ManualClockEnv::Schedule(Task task) { pool_->Schedule(std::move(task)); }

void ManualClockEnv::ScheduleAt(Clock::time_point when, Task task) {
  {
    std::lock_guard lock(mu_);
    ++timers_scheduled_;
    if (when > now_) {
      timers_.push_back(Timer{when, std::move(task)});
      return;
    }
  }
  Fire(std::move(task));
}

int ManualClockEnv::WorkerThreads() const { return pool_->WorkerThreads(); }

void ManualClockEnv::Advance(Clock::duration by) {
  std::vector<Timer> due;
  {
    std::lock_guard lock(mu_);
    now_ += by;
    auto not_due = std::stable_partition(timers_.begin(), timers_.end(),
                                         [this](const Timer& timer) { return timer.when <= now_; });
    due.assign(std::make_move_iterator(timers_.begin()), std::make_move_iterator(not_due));
    timers_.erase(timers_.begin(), not_due);
  }
  std::stable_sort(due.begin(), due.end(), [](const Timer& a, const Timer& b) { return a.when < b.when; });
  for (auto& timer : due) Fire(std::move(timer.task));
}

bool ManualClockEnv::WaitForFiredTimers() {
  return WaitUntil([this] { return finished_.load() == fired_.load(); });
}

size_t ManualClockEnv::PendingTimers() {
  std::lock_guard lock(mu_);
  return timers_.size();
}

size_t ManualClockEnv::TimersScheduled() {
  std::lock_guard lock(mu_);
  return timers_scheduled_;
}

void ManualClockEnv::Fire(Task task) {
  ++fired_;
  pool_->Schedule([this, task = std::move(task)] {
    task();
    ++finished_;
  });
}

}  // namespace cloudstate::testing
