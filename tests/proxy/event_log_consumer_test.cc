// The event-log consumer on a memory store with a scripted deliverer: order, offsets committed in
// batches and on stop, a restart from the committed offset after a failed delivery (at least once),
// and a stop that does not wait for a stuck delivery past its grace.
#include <doctest/doctest.h>

#include <google/protobuf/wrappers.pb.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "cloudstate/store_registry.h"
#include "proxy/eventing/consumer_offsets.h"
#include "proxy/eventing/event_log_consumer.h"

using cloudstate::FeedEvent;
using cloudstate::Status;
using cloudstate::proxy::ConsumerOffsets;
using cloudstate::proxy::EventLogConsumer;
using cloudstate::proxy::EventLogConsumerOptions;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<cloudstate::Store> MemoryStore() {
  cloudstate::StoreRegistry registry;
  cloudstate::RegisterMemoryStore(registry);
  cloudstate::StoreOptions options;
  options.kind = "memory";
  return std::move(*registry.Open(options));
}

// Appends one event per text to entity `id` of persistence id `log`.
void Emit(cloudstate::Store& store, const std::string& log, const std::string& id, const std::vector<std::string>& texts) {
  cloudstate::EntityKey key{log, id};
  cloudstate::JournalWrite write;
  write.key = key;
  write.expected_sequence = *store.journal().HighestSequence(key);
  for (const auto& text : texts) {
    google::protobuf::StringValue value;
    value.set_value(text);
    write.events.emplace_back().PackFrom(value);
  }
  REQUIRE(cloudstate::AppendAndWait(store.journal(), std::move(write)).ok());
}

std::string TextOf(const FeedEvent& event) {
  google::protobuf::StringValue value;
  event.payload.UnpackTo(&value);
  return value.value();
}

// Records what it is given; fails the deliveries whose text is in `fail_once` the first time.
struct Recorder {
  void Deliver(const FeedEvent& event, std::function<void(Status)> done) {
    std::string text = TextOf(event);
    {
      std::lock_guard lock(mu);
      seen.push_back(event.entity_id + ":" + text);
      if (fail_once.erase(text) > 0) {
        done(Status::Unavailable("the function is away"));
        return;
      }
    }
    done(Status::Ok());
  }
  std::vector<std::string> Seen() {
    std::lock_guard lock(mu);
    return seen;
  }
  // Waits until `count` deliveries were seen.
  bool WaitFor(size_t count) {
    for (int i = 0; i < 1000; ++i) {
      if (Seen().size() >= count) return true;
      std::this_thread::sleep_for(5ms);
    }
    return false;
  }

  std::mutex mu;
  std::vector<std::string> seen;
  std::set<std::string> fail_once;
};

EventLogConsumerOptions Fast() {
  EventLogConsumerOptions options;
  options.poll_interval = 5ms;
  options.backoff_min = 10ms;
  options.backoff_max = 40ms;
  options.log = [](cloudstate::LogLevel, const std::string&) {};
  return options;
}

std::unique_ptr<EventLogConsumer> Consume(cloudstate::Store& store, Recorder& recorder, EventLogConsumerOptions options) {
  return std::make_unique<EventLogConsumer>(
      store, "orders", "billing",
      [&recorder](const FeedEvent& event, std::function<void(Status)> done) { recorder.Deliver(event, std::move(done)); },
      std::move(options));
}

int64_t Committed(cloudstate::Store& store) {
  return *ConsumerOffsets(store.values(), "orders", "billing").Load();
}

}  // namespace

TEST_CASE("events of the log arrive in commit order, other logs' do not") {
  auto store = MemoryStore();
  Emit(*store, "orders", "o1", {"a", "b"});
  Emit(*store, "invoices", "o1", {"not mine"});
  Emit(*store, "orders", "o2", {"c"});
  Recorder recorder;
  auto consumer = Consume(*store, recorder, Fast());
  REQUIRE(recorder.WaitFor(3));
  Emit(*store, "orders", "o1", {"d"});  // while it runs
  REQUIRE(recorder.WaitFor(4));
  consumer->Stop(1s);
  CHECK(recorder.Seen() == std::vector<std::string>{"o1:a", "o1:b", "o2:c", "o1:d"});
  CHECK(consumer->Progress().restarts == 0);
}

TEST_CASE("offsets are committed in batches of 20 and on stop; a new consumer goes on from there") {
  auto store = MemoryStore();
  std::vector<std::string> texts;
  for (int i = 0; i < 25; ++i) texts.push_back(std::to_string(i));
  Emit(*store, "orders", "o1", texts);
  Recorder recorder;
  auto options = Fast();
  options.commit_interval = 1h;  // only the count commits while running
  auto consumer = Consume(*store, recorder, options);
  REQUIRE(recorder.WaitFor(25));
  for (int i = 0; i < 100 && consumer->Progress().committed < 20; ++i) std::this_thread::sleep_for(5ms);
  auto progress = consumer->Progress();
  CHECK(progress.delivered > progress.committed);  // 5 delivered but not yet committed
  CHECK(Committed(*store) == progress.committed);
  consumer->Stop(1s);
  CHECK(consumer->Progress().committed == progress.delivered);
  CHECK(Committed(*store) == progress.delivered);

  Emit(*store, "orders", "o2", {"new"});
  Recorder next;
  auto again = Consume(*store, next, Fast());
  REQUIRE(next.WaitFor(1));
  std::this_thread::sleep_for(30ms);  // nothing else comes
  again->Stop(1s);
  CHECK(next.Seen() == std::vector<std::string>{"o2:new"});
}

TEST_CASE("an idle consumer commits what it delivered once the commit interval is over") {
  auto store = MemoryStore();
  Emit(*store, "orders", "o1", {"a", "b", "c"});
  Recorder recorder;
  auto options = Fast();
  options.commit_interval = 30ms;
  auto consumer = Consume(*store, recorder, options);
  REQUIRE(recorder.WaitFor(3));
  for (int i = 0; i < 200 && Committed(*store) < consumer->Progress().delivered; ++i) std::this_thread::sleep_for(5ms);
  CHECK(Committed(*store) == consumer->Progress().delivered);
  CHECK(consumer->Progress().delivered > 0);
}

TEST_CASE("a failed delivery starts the consumer over after its committed offset") {
  auto store = MemoryStore();
  std::vector<std::string> texts;
  for (int i = 0; i < 23; ++i) texts.push_back(std::to_string(i));
  Emit(*store, "orders", "o1", texts);
  Recorder recorder;
  recorder.fail_once = {"21"};
  auto options = Fast();
  options.commit_interval = 1h;
  auto consumer = Consume(*store, recorder, options);
  // 0..19 delivered and committed, 20 delivered, 21 fails: 20 is committed then (processed), the
  // consumer starts over after it and 21 comes again.
  REQUIRE(recorder.WaitFor(24));
  consumer->Stop(1s);
  std::vector<std::string> seen = recorder.Seen();
  REQUIRE(seen.size() == 24);
  CHECK(seen[20] == "o1:20");
  CHECK(seen[21] == "o1:21");
  CHECK(seen[22] == "o1:21");
  CHECK(seen[23] == "o1:22");
  CHECK(consumer->Progress().restarts == 1);
}

TEST_CASE("a commit by another consumer of the same log and group is noticed, not overwritten") {
  auto store = MemoryStore();
  ConsumerOffsets mine(store->values(), "orders", "billing");
  ConsumerOffsets theirs(store->values(), "orders", "billing");
  REQUIRE(*mine.Load() == 0);
  REQUIRE(*theirs.Load() == 0);
  REQUIRE(theirs.Commit(7).ok());
  Status status = mine.Commit(3);
  CHECK(status.code() == cloudstate::StatusCode::kConflict);
  CHECK(*ConsumerOffsets(store->values(), "orders", "billing").Load() == 7);
  // Another group, or another log with a name that runs into the group's, is a different offset.
  CHECK(*ConsumerOffsets(store->values(), "orders", "billing2").Load() == 0);
  CHECK(*ConsumerOffsets(store->values(), "ordersb", "illing").Load() == 0);
}

TEST_CASE("stop does not wait for a stuck delivery longer than its grace") {
  auto store = MemoryStore();
  Emit(*store, "orders", "o1", {"stuck"});
  std::atomic<bool> called{false};
  std::function<void(Status)> held;  // never completed while the consumer runs
  std::mutex mu;
  EventLogConsumer consumer(
      *store, "orders", "billing",
      [&](const FeedEvent&, std::function<void(Status)> done) {
        std::lock_guard lock(mu);
        held = std::move(done);
        called = true;
      },
      Fast());
  for (int i = 0; i < 400 && !called; ++i) std::this_thread::sleep_for(5ms);
  REQUIRE(called);
  auto start = std::chrono::steady_clock::now();
  consumer.Stop(50ms);
  CHECK(std::chrono::steady_clock::now() - start < 5s);
  CHECK(consumer.Progress().delivered == 0);
  CHECK(Committed(*store) == 0);  // not processed: comes again next time
  std::lock_guard lock(mu);
  held(Status::Ok());  // late: goes nowhere, harms nothing
}
