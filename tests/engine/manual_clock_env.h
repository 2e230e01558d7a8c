// An Env whose clock only moves when the test says so. Work runs on a real default pool; timers wait
// in a list until Advance() moves the clock past them. Passivation tests use it to step through
// time without sleeping.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "cloudstate/env.h"

namespace cloudstate::testing {

class ManualClockEnv final : public Env {
 public:
  explicit ManualClockEnv(int worker_threads);

  Clock::time_point Now() override;
  void Schedule(Task task) override;
  void ScheduleAt(Clock::time_point when, Task task) override;
  int WorkerThreads() const override;

  // Moves the clock forward and hands every timer now due to the pool, earliest first.
  void Advance(Clock::duration by);
  // Waits until every timer task handed to the pool has returned; false on the deadline.
  bool WaitForFiredTimers();
  size_t PendingTimers();
  // How many ScheduleAt calls the env has seen.
  size_t TimersScheduled();

 private:
  struct Timer {
    Clock::time_point when;
    Task task;
  };
  void Fire(Task task);

  std::mutex mu_;
  Clock::time_point now_;
  std::vector<Timer> timers_;
  size_t timers_scheduled_ = 0;
  std::atomic<size_t> fired_{0};
  std::atomic<size_t> finished_{0};
  // Last, so it is destroyed first: its destructor still runs queued tasks, which touch the counters.
  std::shared_ptr<Env> pool_;
};

}  // namespace cloudstate::testing
