// The in-memory store: a first-class store that passes the same conformance suite as the durable
// ones, for tests and development. Nothing survives the process; Describe() says so.
#include <algorithm>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "cloudstate/store_registry.h"
#include "stores/entity_key_order.h"

namespace cloudstate {
namespace {

class MemoryStore final : public Store, public Journal, public ValueStore {
 public:
  Journal& journal() override { return *this; }
  ValueStore& values() override { return *this; }
  std::string Describe() const override { return "memory (not durable: state is lost when the process exits)"; }

  void Append(JournalWrite write, WriteCallback done) override {
    Status status = AppendLocked(std::move(write));
    done(std::move(status));  // completes inline: nothing to wait for
  }

  Result<int64_t> HighestSequence(const EntityKey& key) override {
    std::lock_guard lock(mu_);
    auto it = journals_.find(key);
    return it == journals_.end() ? int64_t{0} : static_cast<int64_t>(it->second.events.size());
  }

  Status ReadEvents(const EntityKey& key, int64_t from_sequence, const EventVisitor& visit) override {
    // Copy the range first: the visitor may be slow or call back into the store.
    std::vector<StoredEvent> events;
    {
      std::lock_guard lock(mu_);
      auto it = journals_.find(key);
      if (it == journals_.end()) return Status::Ok();
      const auto& stored = it->second.events;
      for (int64_t seq = std::max<int64_t>(from_sequence, 1); seq <= static_cast<int64_t>(stored.size()); ++seq) {
        events.push_back(StoredEvent{seq, stored[seq - 1]});
      }
    }
    for (const auto& event : events) {
      if (!visit(event)) break;
    }
    return Status::Ok();
  }

  Result<std::optional<Snapshot>> LoadSnapshot(const EntityKey& key) override {
    std::lock_guard lock(mu_);
    auto it = journals_.find(key);
    if (it == journals_.end()) return std::optional<Snapshot>{};
    return it->second.snapshot;
  }

  Status ReadFeed(const std::string& persistence_id, int64_t after_offset, const FeedVisitor& visit) override {
    // Copied out a chunk at a time, visited without the lock (the visitor may call back into the
    // store); a chunk is cheap to copy, and an early stop copies little more than it visits.
    std::vector<FeedEvent> chunk;
    for (;;) {
      chunk.clear();
      {
        std::lock_guard lock(mu_);
        auto feed = feeds_.find(persistence_id);
        if (feed == feeds_.end()) return Status::Ok();
        const std::vector<FeedEntry>& entries = feed->second;
        auto it = std::upper_bound(entries.begin(), entries.end(), after_offset,
                                   [](int64_t offset, const FeedEntry& entry) { return offset < entry.offset; });
        for (; it != entries.end() && chunk.size() < kFeedChunk; ++it) {
          chunk.push_back(FeedEvent{it->offset, it->journal->first.entity_id, it->sequence,
                                    it->journal->second.events[it->sequence - 1]});
        }
      }
      for (const FeedEvent& event : chunk) {
        if (!visit(event)) return Status::Ok();
      }
      if (chunk.size() < kFeedChunk) return Status::Ok();
      after_offset = chunk.back().offset;
    }
  }

  void Write(ValueWrite write, WriteCallback done) override {
    Status status;
    {
      std::lock_guard lock(mu_);
      VersionedValue& stored = values_[write.key];
      if (stored.version != write.expected_version) {
        status = Status::Conflict("value of " + write.key.persistence_id + "/" + write.key.entity_id +
                                  " is at version " + std::to_string(stored.version) + ", expected " +
                                  std::to_string(write.expected_version));
      } else {
        stored.version += 1;
        stored.value = std::move(write.value);
      }
    }
    done(std::move(status));
  }

  Result<VersionedValue> Read(const EntityKey& key) override {
    std::lock_guard lock(mu_);
    auto it = values_.find(key);
    return it == values_.end() ? VersionedValue{} : it->second;
  }

 private:
  struct EntityJournal {
    std::vector<google::protobuf::Any> events;  // events[i] has sequence i + 1
    std::optional<Snapshot> snapshot;
  };
  using JournalMap = std::map<EntityKey, EntityJournal, EntityKeyLess>;

  // One event in a persistence id's feed. Map nodes never move, so the entry can point at its
  // entity's journal instead of copying the id.
  struct FeedEntry {
    int64_t offset;
    const JournalMap::value_type* journal;
    int64_t sequence;
  };
  static constexpr size_t kFeedChunk = 256;

  Status AppendLocked(JournalWrite write) {
    std::lock_guard lock(mu_);
    auto journal_it = journals_.try_emplace(write.key).first;
    EntityJournal& journal = journal_it->second;
    auto highest = static_cast<int64_t>(journal.events.size());
    if (highest != write.expected_sequence) {
      return Status::Conflict("journal of " + write.key.persistence_id + "/" + write.key.entity_id +
                              " is at sequence " + std::to_string(highest) + ", expected " +
                              std::to_string(write.expected_sequence));
    }
    // Offsets are taken under the same lock that makes the events visible, so they appear in order.
    std::vector<FeedEntry>& feed = feeds_[write.key.persistence_id];
    for (auto& event : write.events) {
      journal.events.push_back(std::move(event));
      feed.push_back(FeedEntry{++last_offset_, &*journal_it, static_cast<int64_t>(journal.events.size())});
    }
    if (write.snapshot && !write.events.empty()) {
      journal.snapshot = Snapshot{static_cast<int64_t>(journal.events.size()), std::move(*write.snapshot)};
    }
    return Status::Ok();
  }

  std::mutex mu_;
  JournalMap journals_;
  std::map<std::string, std::vector<FeedEntry>> feeds_;  // per persistence id, in offset order
  int64_t last_offset_ = 0;                               // store-wide: every feed shares it
  std::map<EntityKey, VersionedValue, EntityKeyLess> values_;
};

class MemoryStoreFactory final : public StoreFactory {
 public:
  std::string_view Kind() const override { return "memory"; }
  Status Validate(const StoreOptions&) const override { return Status::Ok(); }
  Result<std::unique_ptr<Store>> Create(const StoreOptions&) const override {
    return std::unique_ptr<Store>(std::make_unique<MemoryStore>());
  }
};

}  // namespace

void RegisterMemoryStore(StoreRegistry& registry) {
  registry.Register(std::make_unique<MemoryStoreFactory>()).IgnoreError();
}

}  // namespace cloudstate
