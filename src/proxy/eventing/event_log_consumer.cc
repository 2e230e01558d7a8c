#include "proxy/eventing/event_log_consumer.h"

#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "proxy/eventing/consumer_offsets.h"

namespace cloudstate::proxy {
namespace {

using Clock = std::chrono::steady_clock;

// Events read from the feed per visit: bounds the memory of a consumer that is far behind.
constexpr size_t kReadBatch = 256;

// A delivery's answer, shared with its callback, which may outlive a consumer that gave up on it.
struct PendingDelivery {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<Status> status;
};

}  // namespace

EventLogConsumer::EventLogConsumer(Store& store, std::string event_log, std::string consumer_group,
                                   EventDeliverer deliver, EventLogConsumerOptions options)
    : store_(store),
      event_log_(std::move(event_log)),
      consumer_group_(std::move(consumer_group)),
      deliver_(std::move(deliver)),
      options_(std::move(options)),
      thread_([this] { Run(); }) {}

EventLogConsumer::~EventLogConsumer() { Stop(std::chrono::milliseconds(0)); }

void EventLogConsumer::Wake() {
  std::lock_guard lock(mu_);
  woken_ = true;
  cv_.notify_all();
}

void EventLogConsumer::Stop(std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      stopping_ = true;
      stop_deadline_ = Clock::now() + grace;
    }
    cv_.notify_all();
  }
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

EventLogConsumerProgress EventLogConsumer::Progress() const {
  std::lock_guard lock(mu_);
  return progress_;
}

bool EventLogConsumer::Stopping() {
  std::lock_guard lock(mu_);
  return stopping_;
}

bool EventLogConsumer::Pause(std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, wait, [this] { return stopping_ || woken_; });
  woken_ = false;
  return stopping_;
}

void EventLogConsumer::Run() {
  auto backoff = options_.backoff_min;
  std::mt19937 random(std::random_device{}());
  for (;;) {
    Status failure = Consume();
    if (failure.ok() || Stopping()) return;
    int64_t committed;
    {
      std::lock_guard lock(mu_);
      ++progress_.restarts;
      committed = progress_.committed;
    }
    options_.log(LogLevel::kError, "event-log consumer " + name() + " failed: " + failure.message() +
                                       "; starting over after offset " + std::to_string(committed) + " in " +
                                       std::to_string(backoff.count()) + " ms");
    {
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, backoff, [this] { return stopping_; })) return;
    }
    // The reference's backoff: doubling, with a random factor of up to 0.2.
    double jitter = std::uniform_real_distribution<double>(1.0, 1.2)(random);
    backoff = std::min(options_.backoff_max,
                       std::chrono::milliseconds(static_cast<int64_t>(static_cast<double>(backoff.count()) * 2 * jitter)));
  }
}

Status EventLogConsumer::Consume() {
  ConsumerOffsets offsets(store_.values(), event_log_, consumer_group_);
  Result<int64_t> loaded = offsets.Load();
  if (!loaded.ok()) return loaded.status();
  int64_t position = *loaded;
  {
    std::lock_guard lock(mu_);
    progress_.committed = progress_.delivered = position;
  }
  int uncommitted = 0;
  Clock::time_point last_commit = Clock::now();
  auto commit = [&]() -> Status {
    if (uncommitted == 0) return Status::Ok();
    if (Status status = offsets.Commit(position); !status.ok()) return status;
    uncommitted = 0;
    last_commit = Clock::now();
    std::lock_guard lock(mu_);
    progress_.committed = position;
    return Status::Ok();
  };

  for (;;) {
    std::vector<FeedEvent> batch;
    Status read = store_.journal().ReadFeed(event_log_, position, [&](const FeedEvent& event) {
      batch.push_back(event);
      return batch.size() < kReadBatch;
    });
    if (!read.ok()) return read;
    for (const FeedEvent& event : batch) {
      if (Stopping()) return commit();
      Status delivered = Deliver(event);
      if (!delivered.ok()) {
        // Keep what was processed before it: those need not come again.
        if (Status committed = commit(); !committed.ok()) return committed;
        return delivered;
      }
      position = event.offset;
      ++uncommitted;
      {
        std::lock_guard lock(mu_);
        progress_.delivered = position;
        ++progress_.events;
      }
      if (uncommitted >= options_.commit_every || Clock::now() - last_commit >= options_.commit_interval) {
        if (Status status = commit(); !status.ok()) return status;
      }
    }
    if (!batch.empty()) continue;
    // Caught up: commit what is left once the interval is over, then wait for more.
    auto wait = options_.poll_interval;
    if (uncommitted > 0) {
      auto due = last_commit + options_.commit_interval;
      if (Clock::now() >= due) {
        if (Status status = commit(); !status.ok()) return status;
      } else {
        wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(due - Clock::now()) +
                                  std::chrono::milliseconds(1));
      }
    }
    if (Pause(wait)) return commit();
  }
}

Status EventLogConsumer::Deliver(const FeedEvent& event) {
  auto pending = std::make_shared<PendingDelivery>();
  deliver_(event, [pending](Status status) {
    std::lock_guard lock(pending->mu);
    pending->status = std::move(status);
    pending->cv.notify_all();
  });
  std::unique_lock lock(pending->mu);
  for (;;) {
    if (pending->cv.wait_for(lock, std::chrono::milliseconds(20), [&] { return pending->status.has_value(); })) {
      return *pending->status;
    }
    std::lock_guard stop_lock(mu_);
    if (stopping_ && Clock::now() >= stop_deadline_) {
      return Status::Unavailable("stopped while event " + std::to_string(event.offset) + " was being delivered");
    }
  }
}

}  // namespace cloudstate::proxy
