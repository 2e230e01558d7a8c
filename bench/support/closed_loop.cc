#include "support/closed_loop.h"

#include <thread>
#include <utility>
#include <vector>

namespace cloudstate::bench {
namespace {

// Set while this thread is inside an Issue call: completions arriving then are deferred to it.
struct Trampoline {
  bool issuing = false;
  std::vector<std::pair<ClosedLoop*, size_t>> deferred;
};
thread_local Trampoline trampoline;

}  // namespace

void ClosedLoop::Done(size_t slot, const Status& status) {
  completed_.fetch_add(1, std::memory_order_relaxed);
  if (!status.ok()) {
    std::lock_guard lock(mu_);
    if (errors_++ == 0) first_error_ = status.ToString();
  }
  Next(slot);
}

void ClosedLoop::Next(size_t slot) {
  if (trampoline.issuing) {
    trampoline.deferred.emplace_back(this, slot);
    return;
  }
  trampoline.issuing = true;
  std::pair<ClosedLoop*, size_t> next{this, slot};
  for (;;) {
    if (next.first->stopping_.load(std::memory_order_acquire)) {
      next.first->Retire();
    } else {
      next.first->issue_(next.second);
    }
    if (trampoline.deferred.empty()) break;
    next = trampoline.deferred.back();
    trampoline.deferred.pop_back();
  }
  trampoline.issuing = false;
}

void ClosedLoop::Retire() {
  // Notifying under the lock: Run() cannot return (and destroy us) before this call is done with mu_.
  std::lock_guard lock(mu_);
  if (--in_flight_ == 0) drained_.notify_all();
}

LoopResult ClosedLoop::Run(LoopTiming timing) {
  using Clock = std::chrono::steady_clock;
  {
    std::lock_guard lock(mu_);
    in_flight_ = concurrency_;
  }
  // Started from their own thread: with a store that completes inline, the first slot's chain
  // keeps that thread busy until Run() sets stopping_, which it could not do from inside the chain.
  std::thread starter([this] {
    for (size_t slot = 0; slot < concurrency_; ++slot) Next(slot);
  });

  std::this_thread::sleep_for(timing.warmup);
  uint64_t start_count = completed_.load();
  Clock::time_point start = Clock::now();
  std::this_thread::sleep_for(timing.measure);
  uint64_t end_count = completed_.load();
  Clock::time_point end = Clock::now();
  stopping_.store(true, std::memory_order_release);
  starter.join();

  std::unique_lock lock(mu_);
  drained_.wait(lock, [this] { return in_flight_ == 0; });
  LoopResult result;
  result.ops = end_count - start_count;
  result.seconds = std::chrono::duration<double>(end - start).count();
  result.total_ops = completed_.load();
  result.errors = errors_;
  result.first_error = first_error_;
  return result;
}

}  // namespace cloudstate::bench
