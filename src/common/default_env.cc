// The default Env: a fixed pool of worker threads fed from one queue, and one timer thread that
// moves due timers onto that queue.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include "cloudstate/env.h"

namespace cloudstate {
namespace {

class DefaultEnv final : public Env {
 public:
  explicit DefaultEnv(int worker_threads) {
    int n = worker_threads > 0 ? worker_threads : static_cast<int>(std::thread::hardware_concurrency());
    n = std::max(n, 1);
    for (int i = 0; i < n; ++i) workers_.emplace_back([this] { RunWorker(); });
    timer_thread_ = std::thread([this] { RunTimers(); });
  }

  ~DefaultEnv() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    work_cv_.notify_all();
    timer_cv_.notify_all();
    timer_thread_.join();
    for (auto& worker : workers_) worker.join();
  }

  Clock::time_point Now() override { return Clock::now(); }

  void Schedule(Task task) override {
    {
      std::lock_guard lock(mu_);
      tasks_.push_back(std::move(task));
    }
    work_cv_.notify_one();
  }

  void ScheduleAt(Clock::time_point when, Task task) override {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      timers_.push(Timer{when, next_timer_id_++, std::move(task)});
    }
    timer_cv_.notify_one();
  }

  int WorkerThreads() const override { return static_cast<int>(workers_.size()); }

 private:
  struct Timer {
    Clock::time_point when;
    uint64_t id;  // keeps timers due at the same instant in scheduling order
    Task task;
    bool operator>(const Timer& other) const {
      return when != other.when ? when > other.when : id > other.id;
    }
  };

  void RunWorker() {
    std::unique_lock lock(mu_);
    for (;;) {
      work_cv_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping, and everything scheduled has run
      Task task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
      lock.lock();
    }
  }

  void RunTimers() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      if (timers_.empty()) {
        timer_cv_.wait(lock);
        continue;
      }
      auto when = timers_.top().when;
      if (Clock::now() < when) {
        timer_cv_.wait_until(lock, when);
        continue;
      }
      // priority_queue::top is const; the task is moved out just before pop.
      Task task = std::move(const_cast<Timer&>(timers_.top()).task);
      timers_.pop();
      tasks_.push_back(std::move(task));
      work_cv_.notify_one();
    }
  }

  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable timer_cv_;
  std::deque<Task> tasks_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  uint64_t next_timer_id_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
  std::thread timer_thread_;
};

}  // namespace

std::shared_ptr<Env> NewDefaultEnv(int worker_threads) { return std::make_shared<DefaultEnv>(worker_threads); }

}  // namespace cloudstate
