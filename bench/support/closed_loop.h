// A closed-loop load generator: keeps a fixed number of operations in flight, each slot issuing
// its next operation from the completion of the previous one, and counts completions over a timed
// window after a warm-up. Asynchronous completion (engine replies, store callbacks) drives the load,
// not one OS thread per slot, so the figure is what the system sustains at that concurrency.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "cloudstate/status.h"

namespace cloudstate::bench {

struct LoopTiming {
  std::chrono::milliseconds warmup{300};   // completions here are not counted (activation, caches)
  std::chrono::milliseconds measure{2000};
};

struct LoopResult {
  uint64_t ops = 0;  // completions inside the measured window
  double seconds = 0;
  uint64_t total_ops = 0;  // completions of the whole run, warm-up and drain included
  uint64_t errors = 0;     // failed completions, whole run
  std::string first_error;
  double PerSecond() const { return seconds > 0 ? static_cast<double>(ops) / seconds : 0; }
};

class ClosedLoop {
 public:
  // Starts one operation for `slot` and arranges for Done(slot, ...) to be called once it completes.
  using Issue = std::function<void(size_t slot)>;

  ClosedLoop(size_t concurrency, Issue issue) : concurrency_(concurrency), issue_(std::move(issue)) {}

  // Called once per issued operation, from any thread, possibly inside Issue itself (a store that
  // completes inline): such completions are queued and issued by the outer call, not recursively.
  void Done(size_t slot, const Status& status);

  // Blocks for warmup + measure, then stops issuing and waits for every slot's last operation.
  // Call once.
  LoopResult Run(LoopTiming timing);

 private:
  void Next(size_t slot);
  void Retire();

  const size_t concurrency_;
  const Issue issue_;
  std::atomic<uint64_t> completed_{0};
  std::atomic<bool> stopping_{false};

  std::mutex mu_;
  std::condition_variable drained_;
  size_t in_flight_ = 0;     // guarded by mu_
  uint64_t errors_ = 0;      // guarded by mu_
  std::string first_error_;  // guarded by mu_
};

}  // namespace cloudstate::bench
