#include "stores/commit_queue.h"

#include <functional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "stores/entity_key_text.h"

namespace cloudstate {
namespace {

// An entity key borrowed from a write of the batch being processed (which outlives the lookup maps),
// so checking conditions copies no strings.
struct KeyRef {
  std::string_view persistence_id;
  std::string_view entity_id;
  friend bool operator==(const KeyRef&, const KeyRef&) = default;
};

struct KeyRefHash {
  size_t operator()(const KeyRef& key) const {
    size_t h = std::hash<std::string_view>()(key.persistence_id);
    return h ^ (std::hash<std::string_view>()(key.entity_id) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  }
};

// The sequence or version each key will have once the writes accepted so far in this batch commit.
using BatchState = std::unordered_map<KeyRef, int64_t, KeyRefHash>;

// Looks the key up in the batch first, then in the store. Returns a pointer into `state`.
template <typename Lookup>
Result<int64_t*> CurrentFor(BatchState& state, const EntityKey& key, Lookup lookup) {
  auto [it, inserted] = state.try_emplace(KeyRef{key.persistence_id, key.entity_id}, 0);
  if (inserted) {
    Result<int64_t> committed = lookup(key);
    if (!committed.ok()) {
      state.erase(it);
      return committed.status();
    }
    it->second = *committed;
  }
  return &it->second;
}

// An unambiguous flat form of a key for the committed cache.
void CacheKey(const EntityKey& key, std::string* out) {
  out->clear();
  out->append(std::to_string(key.persistence_id.size()));
  out->push_back(':');
  out->append(key.persistence_id);
  out->append(key.entity_id);
}

Status ConflictStatus(const char* what, const EntityKey& key, const char* unit, int64_t actual, int64_t expected) {
  return Status::Conflict(std::string(what) + " of " + EntityKeyText(key) + " is at " + unit + " " +
                          std::to_string(actual) + ", expected " + std::to_string(expected));
}

}  // namespace

CommitQueue::CommitQueue(CommitTarget& target, CommitQueueOptions options)
    : target_(target), options_(std::move(options)) {
  writer_ = std::thread([this] { Run(); });
}

CommitQueue::~CommitQueue() { Close(); }

void CommitQueue::Append(JournalWrite write, WriteCallback done) {
  Enqueue(PendingWrite{std::move(write), std::move(done)});
}

void CommitQueue::Write(ValueWrite write, WriteCallback done) {
  Enqueue(PendingWrite{std::move(write), std::move(done)});
}

void CommitQueue::Enqueue(PendingWrite pending) {
  Status refused;
  {
    std::lock_guard lock(mu_);
    if (closed_) {
      refused = Status::Unavailable(options_.name + " is closed");
    } else if (pending_.size() >= options_.max_pending_writes) {
      refused = Status::ResourceExhausted(options_.name + " has " + std::to_string(pending_.size()) +
                                          " writes waiting to commit; retry later");
    } else {
      pending_.push_back(std::move(pending));
    }
  }
  if (refused.ok()) {
    work_cv_.notify_one();
  } else if (pending.done) {
    pending.done(std::move(refused));  // `pending` was not moved from: it was refused
  }
}

void CommitQueue::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  work_cv_.notify_one();
  if (writer_.joinable()) writer_.join();
}

void CommitQueue::Run() {
  std::vector<PendingWrite> batch;
  std::unique_lock lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [this] { return closed_ || !pending_.empty(); });
    if (pending_.empty()) return;  // closed, and everything accepted has been committed
    GatherWrites(lock);
    batch.swap(pending_);
    lock.unlock();
    ProcessBatch(batch);
    batch.clear();  // keeps the capacity: the next swap hands it back to pending_
    lock.lock();
  }
}

void CommitQueue::GatherWrites(std::unique_lock<std::mutex>& lock) {
  if (options_.max_gather_wait.count() == 0 || pending_.size() * 2 > last_batch_size_) return;
  auto wait = std::min<std::chrono::steady_clock::duration>(last_commit_duration_ / 4, options_.max_gather_wait);
  work_cv_.wait_for(lock, wait, [this] { return closed_ || pending_.size() >= last_batch_size_; });
}

Result<int64_t> CommitQueue::Committed(CommittedCache& cache, const EntityKey& key, bool journal) {
  CacheKey(key, &key_scratch_);
  if (auto it = cache.find(key_scratch_); it != cache.end()) return it->second;
  Result<int64_t> stored = journal ? target_.CommittedSequence(key) : target_.CommittedVersion(key);
  if (stored.ok()) {
    if (cache.size() >= options_.committed_cache_keys) cache.clear();  // crude, but bounded and exact
    cache.emplace(key_scratch_, *stored);
  }
  return stored;
}

void CommitQueue::UpdateCache(bool committed) {
  for (const PendingWrite* pending : accepted_) {
    const bool journal = std::holds_alternative<JournalWrite>(pending->write);
    const EntityKey& key = journal ? std::get<JournalWrite>(pending->write).key : std::get<ValueWrite>(pending->write).key;
    CommittedCache& cache = journal ? sequences_ : versions_;
    CacheKey(key, &key_scratch_);
    if (!committed) {
      cache.erase(key_scratch_);
    } else if (journal) {
      const auto& write = std::get<JournalWrite>(pending->write);
      cache[key_scratch_] = write.expected_sequence + static_cast<int64_t>(write.events.size());
    } else {
      cache[key_scratch_] = std::get<ValueWrite>(pending->write).expected_version + 1;
    }
  }
}

void CommitQueue::ProcessBatch(std::vector<PendingWrite>& batch) {
  const auto started = std::chrono::steady_clock::now();
  statuses_.assign(batch.size(), Status());
  accepted_.clear();

  if (Status begun = target_.BeginBatch(); !begun.ok()) {
    for (Status& status : statuses_) status = begun;
  } else {
    BatchState sequences;
    BatchState versions;
    for (size_t i = 0; i < batch.size(); ++i) {
      Status& status = statuses_[i];
      if (auto* journal = std::get_if<JournalWrite>(&batch[i].write)) {
        Result<int64_t*> current = CurrentFor(sequences, journal->key,
                                              [this](const EntityKey& k) { return Committed(sequences_, k, true); });
        if (!current.ok()) {
          status = current.status();
        } else if (**current != journal->expected_sequence) {
          status = ConflictStatus("journal", journal->key, "sequence", **current, journal->expected_sequence);
        } else {
          **current += static_cast<int64_t>(journal->events.size());
        }
      } else {
        auto& value = std::get<ValueWrite>(batch[i].write);
        Result<int64_t*> current =
            CurrentFor(versions, value.key, [this](const EntityKey& k) { return Committed(versions_, k, false); });
        if (!current.ok()) {
          status = current.status();
        } else if (**current != value.expected_version) {
          status = ConflictStatus("value", value.key, "version", **current, value.expected_version);
        } else {
          **current += 1;
        }
      }
      if (status.ok()) accepted_.push_back(&batch[i]);
    }
    // A failed commit wrote nothing: every write that passed its check fails with the same status.
    Status committed = target_.CommitBatch(accepted_);
    if (!committed.ok()) {
      for (const PendingWrite* write : accepted_) statuses_[write - batch.data()] = committed;
    }
    UpdateCache(committed.ok());
  }
  last_batch_size_ = batch.size();
  last_commit_duration_ = std::chrono::steady_clock::now() - started;

  for (size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].done) batch[i].done(std::move(statuses_[i]));
  }
}

}  // namespace cloudstate
