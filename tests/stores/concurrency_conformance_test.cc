// Conformance: concurrent writers and readers, and what closing a store promises, against every store.
#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "store_harness.h"

namespace cloudstate::testing {
namespace {

// Threads race for one journal, each appending after the sequence it last read. Each sequence is
// won exactly once, and what is stored is exactly what the winners wrote.
STORE_TEST(RacingWritersWinEachSequenceOnce) {
  const EntityKey key{"race", "shared"};
  constexpr int kThreads = 8;
  constexpr int64_t kTarget = 120;
  struct Win {
    int64_t after;
    std::string text;
  };
  std::vector<std::vector<Win>> wins(kThreads);
  std::vector<std::string> errors(kThreads);
  std::atomic<int> conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int attempt = 0;; ++attempt) {
        Result<int64_t> highest = h.journal().HighestSequence(key);
        if (!highest.ok()) return void(errors[t] = highest.status().ToString());
        if (*highest >= kTarget) return;
        std::string text = "t" + std::to_string(t) + "-a" + std::to_string(attempt);
        Status status = AppendAndWait(h.journal(), Appending(key, *highest, {text, text + "-b"}));
        if (status.ok()) {
          wins[t].push_back({*highest, text});
        } else if (status.code() == StatusCode::kConflict) {
          conflicts.fetch_add(1);
        } else {
          return void(errors[t] = status.ToString());
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& error : errors) CHECK_MESSAGE(error.empty(), error);

  std::map<int64_t, std::string> by_sequence;
  for (const auto& thread_wins : wins) {
    for (const Win& win : thread_wins) CHECK_MESSAGE(by_sequence.emplace(win.after, win.text).second, win.after);
  }
  h.Step();
  std::vector<StoredEvent> events = ReadAll(h.journal(), key);
  CHECK(events.size() == 2 * by_sequence.size());
  CHECK(Highest(h.journal(), key) == static_cast<int64_t>(events.size()));
  for (const auto& [after, text] : by_sequence) {
    REQUIRE(static_cast<size_t>(after + 2) <= events.size());
    CHECK(events[after].payload.value() == text);
    CHECK(events[after + 1].payload.value() == text + "-b");
  }
  MESSAGE("conflicts seen: " << conflicts.load());
}

// Threads write disjoint keys at once, each pipelining appends to all of its keys.
STORE_TEST(ManyKeysInParallel) {
  constexpr int kThreads = 8, kKeysPerThread = 10, kRounds = 5;
  auto key_of = [](int t, int k) { return EntityKey{"parallel", "t" + std::to_string(t) + "-k" + std::to_string(k)}; };
  auto text_of = [](int k, int round, int i) {
    return "k" + std::to_string(k) + "r" + std::to_string(round) + "e" + std::to_string(i);
  };
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<int64_t> highest(kKeysPerThread, 0);
      for (int round = 0; round < kRounds; ++round) {
        std::vector<std::promise<Status>> done(kKeysPerThread);
        for (int k = 0; k < kKeysPerThread; ++k) {
          std::vector<std::string> texts;
          for (int i = 0; i <= (round + k) % 3; ++i) texts.push_back(text_of(k, round, i));
          h.journal().Append(Appending(key_of(t, k), highest[k], texts),
                             [&done, k](Status status) { done[k].set_value(std::move(status)); });
          highest[k] += static_cast<int64_t>(texts.size());
          h.values().Write(Writing(key_of(t, k), round, "round" + std::to_string(round)), [](Status) {});
        }
        for (auto& d : done) {
          Status status = d.get_future().get();
          if (!status.ok() && errors[t].empty()) errors[t] = status.ToString();
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& error : errors) CHECK_MESSAGE(error.empty(), error);
  h.Step();
  for (int t = 0; t < kThreads; ++t) {
    for (int k = 0; k < kKeysPerThread; ++k) {
      std::vector<std::string> expected;
      for (int round = 0; round < kRounds; ++round) {
        for (int i = 0; i <= (round + k) % 3; ++i) expected.push_back(text_of(k, round, i));
      }
      CHECK(Texts(ReadAll(h.journal(), key_of(t, k))) == expected);
      VersionedValue value = ReadValue(h.values(), key_of(t, k));
      CHECK(value.version == kRounds);
      CHECK(value.value->value() == "round" + std::to_string(kRounds - 1));
    }
  }
}

// Readers running beside a writer of five-event appends (each with a snapshot) never see part of
// an append, nor a snapshot ahead of the events it was saved with.
STORE_TEST(MultiEventAppendsAreAtomicToReaders) {
  const EntityKey key{"atomic", "one"};
  constexpr int kAppends = 60, kPerAppend = 5;
  std::atomic<bool> writing{true};
  std::atomic<int> observations{0};
  std::mutex mu;
  std::vector<std::string> violations;
  auto violation = [&](std::string what) {
    std::lock_guard lock(mu);
    if (violations.size() < 20) violations.push_back(std::move(what));
  };
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      do {
        observations.fetch_add(1);
        Result<std::optional<Snapshot>> snapshot = h.journal().LoadSnapshot(key);
        Result<int64_t> highest = h.journal().HighestSequence(key);
        int64_t visited = 0;
        Status read = h.journal().ReadEvents(key, 1, [&](const StoredEvent&) { return ++visited > 0; });
        if (!snapshot.ok() || !highest.ok() || !read.ok()) return violation("a read failed");
        if (*highest % kPerAppend != 0) violation("highest sequence " + std::to_string(*highest));
        if (visited % kPerAppend != 0) violation("read " + std::to_string(visited) + " events");
        if (snapshot->has_value() && ((*snapshot)->sequence % kPerAppend != 0 || (*snapshot)->sequence > *highest)) {
          violation("snapshot at " + std::to_string((*snapshot)->sequence) + ", highest " + std::to_string(*highest));
        }
      } while (writing.load());
    });
  }
  while (observations.load() == 0) std::this_thread::yield();  // readers are up before writing starts
  Status written;
  for (int i = 0; i < kAppends && written.ok(); ++i) {
    std::vector<std::string> texts(kPerAppend, "event");
    JournalWrite write = Appending(key, int64_t{i} * kPerAppend, texts);
    write.snapshot = MakeAny("type.googleapis.com/test.State", std::to_string(i));
    written = AppendAndWait(h.journal(), std::move(write));
  }
  writing.store(false);
  for (auto& reader : readers) reader.join();
  REQUIRE_MESSAGE(written.ok(), written.ToString());
  for (const auto& v : violations) FAIL_CHECK(v);
  CHECK(Highest(h.journal(), key) == kAppends * kPerAppend);
}

// A callback may write and read again: an acknowledged write is visible to the next read, and
// nothing deadlocks. Each append's callback writes the value, whose callback appends again.
STORE_TEST(CallbacksMayCallBackIntoTheStore) {
  const EntityKey key{"chain", "one"};
  constexpr int kLinks = 40;
  std::promise<std::string> finished;
  std::function<void(int)> append;
  auto appended = [&](int n, Status status) {
    if (!status.ok()) return finished.set_value("append " + std::to_string(n) + ": " + status.ToString());
    Result<int64_t> highest = h.journal().HighestSequence(key);
    if (!highest.ok() || *highest != n) return finished.set_value("append " + std::to_string(n) + " not visible");
    h.values().Write(Writing(key, n - 1, std::to_string(n)), [&, n](Status written) {
      if (!written.ok()) return finished.set_value("value " + std::to_string(n) + ": " + written.ToString());
      Result<VersionedValue> value = h.values().Read(key);
      if (!value.ok() || value->version != n) return finished.set_value("value " + std::to_string(n) + " not visible");
      if (n == kLinks) return finished.set_value("");
      append(n + 1);
    });
  };
  append = [&](int n) {
    h.journal().Append(Appending(key, n - 1, {std::to_string(n)}), [&, n](Status s) { appended(n, std::move(s)); });
  };
  append(1);
  auto future = finished.get_future();
  REQUIRE(future.wait_for(std::chrono::seconds(60)) == std::future_status::ready);  // else: deadlock
  std::string error = future.get();
  CHECK_MESSAGE(error.empty(), error);
  CHECK(Highest(h.journal(), key) == kLinks);
}

// Closing waits for every accepted write and runs its callback. Writes issued by those callbacks
// while the store closes either commit or are refused with Unavailable: never acknowledged and
// lost, never stored but refused.
STORE_TEST(CloseCommitsAcceptedWritesAndRefusesLaterOnes) {
  constexpr int kWrites = 200;
  const EntityKey key{"closing", "journal"};
  std::atomic<int> acknowledged{0}, followed{0};
  std::vector<Status> follow_ups(kWrites);
  ValueStore& values = h.values();  // the callbacks run while the harness closes the store
  for (int i = 0; i < kWrites; ++i) {
    h.journal().Append(Appending(key, i, {std::to_string(i + 1)}), [&, i](Status status) {
      if (status.ok()) acknowledged.fetch_add(1);
      values.Write(Writing({"closing", "value" + std::to_string(i)}, 0, "x"), [&, i](Status s) {
        follow_ups[i] = std::move(s);
        followed.fetch_add(1);
      });
    });
  }
  h.Close();
  CHECK(acknowledged.load() == kWrites);
  REQUIRE(followed.load() == kWrites);
  int refused = 0;
  for (const Status& status : follow_ups) {
    CHECK_MESSAGE((status.ok() || status.code() == StatusCode::kUnavailable), status.ToString());
    refused += status.code() == StatusCode::kUnavailable;
  }
  MESSAGE(refused << " follow-up writes refused while closing");
  if (!h.config().durable) return;
  h.Open();
  CHECK(Highest(h.journal(), key) == kWrites);
  for (int i = 0; i < kWrites; ++i) {
    CHECK(ReadValue(h.values(), {"closing", "value" + std::to_string(i)}).version == (follow_ups[i].ok() ? 1 : 0));
  }
}

}  // namespace
}  // namespace cloudstate::testing
