// The environment the engine runs in: clock, worker threads and timers, injected as one object so
// tests can drive time themselves and embedders can share their own thread pool.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

namespace cloudstate {

// All methods are safe to call from any thread.
class Env {
 public:
  using Clock = std::chrono::steady_clock;
  using Task = std::function<void()>;

  virtual ~Env() = default;

  virtual Clock::time_point Now() = 0;
  // Runs `task` on a worker thread, soon. Tasks may run in parallel with each other.
  virtual void Schedule(Task task) = 0;
  // Runs `task` on a worker thread once Now() has reached `when`.
  virtual void ScheduleAt(Clock::time_point when, Task task) = 0;
  // Number of worker threads tasks run on.
  virtual int WorkerThreads() const = 0;
};

// A pool of `worker_threads` threads (0: one per core) on the steady clock. Its destructor runs the
// tasks already scheduled, drops timers that are not due, and joins the threads.
std::shared_ptr<Env> NewDefaultEnv(int worker_threads = 0);

}  // namespace cloudstate
