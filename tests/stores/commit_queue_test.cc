// The group-commit queue the durable stores share, against a fake target that can hold a batch
// open (so writes pile up deterministically) and fail on demand.
#include "stores/commit_queue.h"

#include <doctest/doctest.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace cloudstate {
namespace {

std::string Name(const EntityKey& key) { return key.persistence_id + "/" + key.entity_id; }

class FakeTarget final : public CommitTarget {
 public:
  // While held, BeginBatch blocks: writes arriving meanwhile queue up for the next batch.
  void Hold() {
    std::lock_guard lock(mu_);
    held_ = true;
  }
  void Release() {
    {
      std::lock_guard lock(mu_);
      held_ = false;
    }
    cv_.notify_all();
  }
  void WaitForBatches(int n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return begun_ >= n; });
  }

  Status BeginBatch() override {
    std::unique_lock lock(mu_);
    ++begun_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return !held_; });
    return begin_status;
  }
  Result<int64_t> CommittedSequence(const EntityKey& key) override {
    ++sequence_lookups;
    if (failing_lookups.count(Name(key))) return Status::Unavailable("lookup of " + Name(key) + " failed");
    return sequences[Name(key)];
  }
  Result<int64_t> CommittedVersion(const EntityKey& key) override { return versions[Name(key)]; }
  Status CommitBatch(std::span<const PendingWrite* const> accepted) override {
    batch_sizes.push_back(accepted.size());
    if (!commit_status.ok()) return commit_status;
    for (const PendingWrite* pending : accepted) {
      if (auto* journal = std::get_if<JournalWrite>(&pending->write)) {
        sequences[Name(journal->key)] = journal->expected_sequence + static_cast<int64_t>(journal->events.size());
        for (const auto& event : journal->events) log.push_back(Name(journal->key) + ":" + event.value());
      } else {
        const auto& value = std::get<ValueWrite>(pending->write);
        versions[Name(value.key)] = value.expected_version + 1;
        log.push_back(Name(value.key) + "=" + (value.value ? value.value->value() : "<deleted>"));
      }
    }
    return Status::Ok();
  }

  // Touched by the writer thread only while the test waits for callbacks.
  Status begin_status, commit_status;
  std::set<std::string> failing_lookups;
  std::map<std::string, int64_t> sequences, versions;
  std::vector<size_t> batch_sizes;
  std::vector<std::string> log;
  int sequence_lookups = 0;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool held_ = false;
  int begun_ = 0;
};

// Collects the statuses of numbered writes.
class Statuses {
 public:
  WriteCallback For(int i) {
    return [this, i](Status status) {
      std::lock_guard lock(mu_);
      statuses_[i] = std::move(status);
      cv_.notify_all();
    };
  }
  // Waits for `n` callbacks and returns the statuses by write number.
  std::map<int, Status> Wait(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return statuses_.size() >= n; });
    return statuses_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<int, Status> statuses_;
};

JournalWrite Journal(std::string id, int64_t expected, std::vector<std::string> texts) {
  JournalWrite write;
  write.key = {"p", std::move(id)};
  write.expected_sequence = expected;
  for (auto& text : texts) {
    write.events.emplace_back();
    write.events.back().set_value(text);
  }
  return write;
}

ValueWrite Value(std::string id, int64_t expected, std::optional<std::string> text) {
  ValueWrite write;
  write.key = {"p", std::move(id)};
  write.expected_version = expected;
  if (text) write.value.emplace().set_value(*text);
  return write;
}

TEST_CASE("writes arriving while a batch commits are committed together in the next one") {
  FakeTarget target;
  CommitQueue queue(target, {"test store"});
  Statuses statuses;
  target.Hold();
  queue.Append(Journal("a", 0, {"first"}), statuses.For(0));
  target.WaitForBatches(1);  // the writer holds the first write
  for (int i = 1; i <= 50; ++i) queue.Append(Journal("k" + std::to_string(i), 0, {"e"}), statuses.For(i));
  target.Release();
  for (const auto& [i, status] : statuses.Wait(51)) CHECK_MESSAGE(status.ok(), i);
  CHECK(target.batch_sizes == std::vector<size_t>{1, 50});
}

TEST_CASE("conditions see the writes before them in the same batch") {
  FakeTarget target;
  target.sequences["p/a"] = 3;
  target.versions["p/v"] = 7;
  CommitQueue queue(target, {"test store"});
  Statuses statuses;
  target.Hold();
  queue.Append(Journal("blocker", 0, {}), statuses.For(0));
  target.WaitForBatches(1);
  queue.Append(Journal("a", 3, {"4", "5"}), statuses.For(1));  // a: 3 -> 5
  queue.Append(Journal("a", 3, {"x"}), statuses.For(2));       // stale within the batch
  queue.Append(Journal("a", 5, {"6"}), statuses.For(3));       // sees write 1
  queue.Write(Value("v", 7, "eight"), statuses.For(4));
  queue.Write(Value("v", 8, std::nullopt), statuses.For(5));
  queue.Write(Value("v", 8, "stale"), statuses.For(6));
  queue.Append(Journal("b", 1, {"x"}), statuses.For(7));  // b has no events
  target.Release();
  std::map<int, Status> s = statuses.Wait(8);
  CHECK(s[1].ok());
  CHECK(s[2].code() == StatusCode::kConflict);
  CHECK(s[2].message() == "journal of p/a is at sequence 5, expected 3");
  CHECK(s[3].ok());
  CHECK(s[4].ok());
  CHECK(s[5].ok());
  CHECK(s[6].code() == StatusCode::kConflict);
  CHECK(s[6].message() == "value of p/v is at version 9, expected 8");
  CHECK(s[7].code() == StatusCode::kConflict);
  CHECK(s[7].message() == "journal of p/b is at sequence 0, expected 1");
  CHECK(target.sequences["p/a"] == 6);
  CHECK(target.versions["p/v"] == 9);
  CHECK(target.log == std::vector<std::string>{"p/a:4", "p/a:5", "p/a:6", "p/v=eight", "p/v=<deleted>"});
}

TEST_CASE("a failed commit fails every write that passed its check, and nothing is committed") {
  FakeTarget target;
  CommitQueue queue(target, {"test store"});
  Statuses statuses;
  target.commit_status = Status::Unavailable("disk gone");
  target.Hold();
  queue.Append(Journal("blocker", 0, {}), statuses.For(0));
  target.WaitForBatches(1);
  queue.Append(Journal("a", 0, {"1"}), statuses.For(1));
  queue.Append(Journal("a", 5, {"x"}), statuses.For(2));
  queue.Write(Value("v", 0, "1"), statuses.For(3));
  target.Release();
  std::map<int, Status> s = statuses.Wait(4);
  for (int i : {0, 1, 3}) {
    CHECK(s[i].code() == StatusCode::kUnavailable);
    CHECK(s[i].message() == "disk gone");
  }
  CHECK(s[2].code() == StatusCode::kConflict);  // its own verdict, not the commit's

  // Nothing was committed: the next batch starts from the stored state again.
  target.commit_status = Status::Ok();
  Statuses again;
  queue.Append(Journal("a", 0, {"1"}), again.For(0));
  CHECK(again.Wait(1)[0].ok());
  CHECK(target.log == std::vector<std::string>{"p/a:1"});
}

TEST_CASE("a batch that cannot begin fails all its writes; a failed lookup fails only its write") {
  FakeTarget target;
  CommitQueue queue(target, {"test store"});
  target.begin_status = Status::Corruption("file damaged");
  Statuses statuses;
  queue.Append(Journal("a", 0, {"1"}), statuses.For(0));
  CHECK(statuses.Wait(1)[0].code() == StatusCode::kCorruption);

  target.begin_status = Status::Ok();
  target.failing_lookups.insert("p/bad");
  Statuses more;
  target.Hold();
  queue.Append(Journal("blocker", 0, {}), more.For(0));
  target.WaitForBatches(2);
  queue.Append(Journal("bad", 0, {"1"}), more.For(1));
  queue.Append(Journal("good", 0, {"1"}), more.For(2));
  target.Release();
  std::map<int, Status> s = more.Wait(3);
  CHECK(s[1].code() == StatusCode::kUnavailable);
  CHECK(s[1].message() == "lookup of p/bad failed");
  CHECK(s[2].ok());
  CHECK(target.log == std::vector<std::string>{"p/good:1"});
}

TEST_CASE("close commits what was accepted, then refuses writes with Unavailable") {
  FakeTarget target;
  auto queue = std::make_unique<CommitQueue>(target, CommitQueueOptions{"test store"});
  Statuses statuses;
  target.Hold();
  queue->Append(Journal("a", 0, {"1"}), statuses.For(0));
  target.WaitForBatches(1);
  for (int i = 1; i < 20; ++i) queue->Append(Journal("a", i, {std::to_string(i + 1)}), statuses.For(i));

  std::thread closer([&] { queue->Close(); });
  // Probe until the queue refuses: from then on it has stopped accepting.
  Statuses probes;
  int probe = 0;
  for (;; ++probe) {
    queue->Write(Value("probe" + std::to_string(probe), 0, "x"), probes.For(probe));
    std::map<int, Status> seen = probes.Wait(0);
    if (seen.count(probe)) {
      CHECK(seen[probe].code() == StatusCode::kUnavailable);
      CHECK(seen[probe].message() == "test store is closed");
      break;
    }
    std::this_thread::yield();
  }
  target.Release();
  closer.join();
  for (const auto& [i, status] : statuses.Wait(20)) CHECK_MESSAGE(status.ok(), i);
  CHECK(target.sequences["p/a"] == 20);
  for (int i = 0; i < probe; ++i) CHECK(probes.Wait(probe + 1)[i].ok());  // accepted before the close

  Statuses late;
  queue->Append(Journal("a", 20, {"late"}), late.For(0));
  CHECK(late.Wait(1)[0].code() == StatusCode::kUnavailable);
  queue.reset();
  CHECK(target.sequences["p/a"] == 20);
}

TEST_CASE("callbacks run outside the queue's lock and may write again") {
  FakeTarget target;
  CommitQueue queue(target, {"test store"});
  Statuses statuses;
  std::function<void(int, Status)> chain = [&](int n, Status status) {
    statuses.For(n)(status);
    if (n < 10) queue.Append(Journal("a", n + 1, {"x"}), [&, n](Status s) { chain(n + 1, std::move(s)); });
  };
  queue.Append(Journal("a", 0, {"x"}), [&](Status s) { chain(0, std::move(s)); });
  for (const auto& [i, status] : statuses.Wait(11)) CHECK_MESSAGE(status.ok(), i);
  CHECK(target.sequences["p/a"] == 11);
}

TEST_CASE("a full queue refuses with ResourceExhausted") {
  FakeTarget target;
  CommitQueue queue(target, {"test store", 5});
  Statuses statuses;
  target.Hold();
  queue.Append(Journal("blocker", 0, {}), statuses.For(0));
  target.WaitForBatches(1);
  for (int i = 1; i <= 6; ++i) queue.Append(Journal("k" + std::to_string(i), 0, {"x"}), statuses.For(i));
  CHECK(statuses.Wait(1)[6].code() == StatusCode::kResourceExhausted);
  target.Release();
  std::map<int, Status> s = statuses.Wait(7);
  for (int i = 0; i <= 5; ++i) CHECK_MESSAGE(s[i].ok(), i);
}

TEST_CASE("conflict messages show unprintable key bytes escaped") {
  FakeTarget target;
  CommitQueue queue(target, {"test store"});
  Statuses statuses;
  JournalWrite write = Journal(std::string("a\0b\n", 4), 2, {"x"});
  queue.Append(std::move(write), statuses.For(0));
  CHECK(statuses.Wait(1)[0].message() == "journal of p/a\\x00b\\x0a is at sequence 0, expected 2");
}

TEST_CASE("committed sequences are remembered, so a key is looked up once, and stay exact") {
  FakeTarget target;
  CommitQueue queue(target, CommitQueueOptions{"cached"});
  Statuses statuses;
  for (int i = 0; i < 5; ++i) {
    queue.Append(Journal("a", i, {"e" + std::to_string(i)}), statuses.For(i));
    statuses.Wait(i + 1);
  }
  queue.Append(Journal("a", 2, {"stale"}), statuses.For(5));
  auto result = statuses.Wait(6);
  for (int i = 0; i < 5; ++i) CHECK(result[i].ok());
  CHECK(result[5].code() == StatusCode::kConflict);
  CHECK(target.sequence_lookups == 1);
}

TEST_CASE("a failed commit forgets the keys it touched; a full cache is dropped, never wrong") {
  FakeTarget target;
  CommitQueueOptions options{"tiny cache"};
  options.committed_cache_keys = 1;
  CommitQueue queue(target, options);
  Statuses statuses;
  int n = 0;
  auto append = [&](const std::string& id, int64_t expected) {
    queue.Append(Journal(id, expected, {"x"}), statuses.For(n));
    ++n;
    return statuses.Wait(n)[n - 1];
  };
  CHECK(append("a", 0).ok());
  CHECK(append("b", 0).ok());  // evicts a
  CHECK(append("a", 1).ok());
  CHECK(append("a", 0).code() == StatusCode::kConflict);
  target.commit_status = Status::Unavailable("disk gone");
  CHECK(append("a", 2).code() == StatusCode::kUnavailable);
  target.commit_status = Status::Ok();
  // The failed write left nothing behind: the store still says 2, and the queue asks it again.
  int lookups = target.sequence_lookups;
  CHECK(append("a", 2).ok());
  CHECK(target.sequence_lookups == lookups + 1);
}

TEST_CASE("with gathering on, a lone write still commits promptly") {
  FakeTarget target;
  CommitQueueOptions options{"gathering"};
  // An hour: were the wait not bounded by the last commit's duration, this test would time out.
  options.max_gather_wait = std::chrono::hours(1);
  CommitQueue queue(target, options);
  Statuses statuses;
  // A large batch first, so the next lone write is tempted to wait for company.
  target.Hold();
  for (int i = 0; i < 8; ++i) queue.Append(Journal("k" + std::to_string(i), 0, {"x"}), statuses.For(i));
  target.Release();
  statuses.Wait(8);
  queue.Append(Journal("k0", 1, {"y"}), statuses.For(8));
  CHECK(statuses.Wait(9)[8].ok());
}

}  // namespace
}  // namespace cloudstate
