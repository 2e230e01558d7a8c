// Group commit for the durable stores. Journal::Append and ValueStore::Write enqueue and return; one
// writer thread per store drains everything pending, checks each write's condition against the
// stored state and against the writes before it in the same batch, commits the writes that pass as
// one atomic unit with (at most) one sync, then runs every callback outside any lock.
//
// Checking conditions on a single thread is what makes the conditional writes safe: a store owns its
// files exclusively (one process, one Store), so between the check and the commit nobody else writes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <unordered_map>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "cloudstate/store.h"
#include "cloudstate/store_registry.h"

namespace cloudstate {

// One write waiting for the writer thread.
struct PendingWrite {
  std::variant<JournalWrite, ValueWrite> write;
  WriteCallback done;
};

// What a store does for its queue. Called on the writer thread only, so implementations need no
// locking of their own around the write path.
class CommitTarget {
 public:
  virtual ~CommitTarget() = default;
  // Opens a batch; the lookups and the CommitBatch() that follow belong to it (SQLite: BEGIN).
  virtual Status BeginBatch() = 0;
  // Highest committed sequence of the key's journal, 0 when it has none.
  virtual Result<int64_t> CommittedSequence(const EntityKey& key) = 0;
  // Committed version of the key's value, 0 when never written.
  virtual Result<int64_t> CommittedVersion(const EntityKey& key) = 0;
  // Closes the batch: persists `accepted` (in order; a later write to the same key wins) as one
  // atomic unit, durable under the store's policy when it returns OK; nothing is written when it
  // fails. Conditions were checked: a journal write appends at expected_sequence + 1 onwards, a
  // value write stores version expected_version + 1. `accepted` may be empty.
  virtual Status CommitBatch(std::span<const PendingWrite* const> accepted) = 0;
};

struct CommitQueueOptions {
  // Names the store in messages, e.g. "sqlite:/var/lib/app/state.db".
  std::string name;
  // Backpressure: a write arriving while this many are pending fails with ResourceExhausted.
  size_t max_pending_writes = 100000;
  // Group commit: when fewer writes are pending than the last batch had, the writer waits up to a
  // quarter of the last commit's duration (and at most this long) for the rest to arrive, so one sync
  // covers them all. Worth it when commits sync to disk; 0 turns it off.
  std::chrono::microseconds max_gather_wait{0};
  // Committed sequences and versions are remembered for this many keys (the writer owns the files,
  // so they stay exact), sparing a store lookup per write.
  size_t committed_cache_keys = 1 << 16;
};

// The queue options of a store on disk: gathering writes pays only when each commit syncs.
inline CommitQueueOptions DurableQueueOptions(std::string name, Durability durability) {
  CommitQueueOptions options;
  options.name = std::move(name);
  if (durability == Durability::kSync) options.max_gather_wait = std::chrono::microseconds(1000);
  return options;
}

// Thread-safe. Callbacks run on the writer thread, or inline when a write is refused.
class CommitQueue {
 public:
  // Starts the writer thread. `target` must outlive the queue.
  CommitQueue(CommitTarget& target, CommitQueueOptions options);
  // Close()s.
  ~CommitQueue();

  CommitQueue(const CommitQueue&) = delete;
  CommitQueue& operator=(const CommitQueue&) = delete;

  void Append(JournalWrite write, WriteCallback done);
  void Write(ValueWrite write, WriteCallback done);

  // Refuses further writes (Unavailable), commits the ones already accepted, runs their callbacks
  // and joins the writer thread. Idempotent; must not be called from a callback.
  void Close();

 private:
  using CommittedCache = std::unordered_map<std::string, int64_t>;

  void Enqueue(PendingWrite pending);
  void Run();
  // With mu_ held: waits a little for a batch as large as the last one (see max_gather_wait).
  void GatherWrites(std::unique_lock<std::mutex>& lock);
  void ProcessBatch(std::vector<PendingWrite>& batch);
  // The committed sequence (or version) of `key`, from the cache or else from the store.
  Result<int64_t> Committed(CommittedCache& cache, const EntityKey& key, bool journal);
  // After a commit: remember what the accepted writes made of their keys, or forget them on failure.
  void UpdateCache(bool committed);

  CommitTarget& target_;
  const CommitQueueOptions options_;

  std::mutex mu_;
  std::condition_variable work_cv_;
  std::vector<PendingWrite> pending_;  // guarded by mu_
  bool closed_ = false;                // guarded by mu_

  // Writer thread only; kept between batches to reuse their allocations.
  std::vector<Status> statuses_;
  std::vector<const PendingWrite*> accepted_;
  CommittedCache sequences_;
  CommittedCache versions_;
  std::string key_scratch_;
  size_t last_batch_size_ = 0;
  std::chrono::steady_clock::duration last_commit_duration_{};

  std::thread writer_;
};

}  // namespace cloudstate
