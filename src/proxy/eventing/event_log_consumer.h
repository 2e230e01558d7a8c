// Runs one event-log consumer (semantics.md §8.2): on its own thread it reads the log's feed from
// the committed offset, hands each event to `deliver` and waits for it before the next (events of
// one consumer are processed one at a time, in order), and commits the offset every
// `commit_every` events or `commit_interval`, and when stopped. When a delivery or the store fails
// it starts over from the committed offset after a backoff (at least once: events after that
// offset may be delivered again). An idle consumer looks for new events every `poll_interval`, or
// at once when woken.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "cloudstate/log.h"
#include "cloudstate/store.h"

namespace cloudstate::proxy {

struct EventLogConsumerOptions {
  std::chrono::milliseconds poll_interval{100};
  std::chrono::milliseconds backoff_min{3'000};
  std::chrono::milliseconds backoff_max{30'000};
  int commit_every = 20;
  std::chrono::milliseconds commit_interval{1'000};
  LogSink log;
};

// Delivers one event. `done` runs once, from any thread: OK when the event may count as processed,
// otherwise why the consumer must start over from its committed offset.
using EventDeliverer = std::function<void(const FeedEvent& event, std::function<void(Status)> done)>;

struct EventLogConsumerProgress {
  int64_t delivered = 0;  // offset of the last event delivered
  int64_t committed = 0;  // offset last committed
  uint64_t events = 0;    // deliveries that succeeded, repeats after a restart included
  uint64_t restarts = 0;
};

class EventLogConsumer {
 public:
  // Starts consuming at once. `store` must outlive the consumer.
  EventLogConsumer(Store& store, std::string event_log, std::string consumer_group, EventDeliverer deliver,
                   EventLogConsumerOptions options);
  ~EventLogConsumer();  // Stop with no grace

  // Looks for new events now instead of at the next poll.
  void Wake();
  // Waits up to `grace` for the event being delivered, commits the offset of those delivered and
  // joins the thread. Idempotent.
  void Stop(std::chrono::milliseconds grace);

  EventLogConsumerProgress Progress() const;
  std::string name() const { return event_log_ + "/" + consumer_group_; }

 private:
  void Run();
  // Consumes until stopped (OK) or a failure (returned).
  Status Consume();
  Status Deliver(const FeedEvent& event);
  // Sleeps up to `wait` unless woken or stopped; true when stopping.
  bool Pause(std::chrono::milliseconds wait);
  bool Stopping();

  Store& store_;
  const std::string event_log_;
  const std::string consumer_group_;
  const EventDeliverer deliver_;
  const EventLogConsumerOptions options_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::chrono::steady_clock::time_point stop_deadline_;
  EventLogConsumerProgress progress_;
  std::thread thread_;  // last: starts once everything above is built
};

}  // namespace cloudstate::proxy
