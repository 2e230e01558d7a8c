// The LevelDB store: one database directory (format: docs/formats/leveldb-store.md). Writes go
// through a CommitQueue, a batch per leveldb::WriteBatch; reads are iterator scans and point
// lookups, which LevelDB serves concurrently with the writer.
#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "cloudstate/store_registry.h"
#include "stores/commit_queue.h"
#include "stores/entity_key_text.h"
#include "stores/leveldb_format.h"
#include "stores/leveldb_schema.h"

namespace cloudstate {
namespace {

namespace fmt = leveldb_format;

std::string_view View(const leveldb::Slice& slice) { return {slice.data(), slice.size()}; }

bool StartsWith(const leveldb::Slice& key, const std::string& prefix) {
  return key.size() >= prefix.size() && std::memcmp(key.data(), prefix.data(), prefix.size()) == 0;
}

// Holds a consistent view of the database for the duration of one read.
class SnapshotScope {
 public:
  explicit SnapshotScope(leveldb::DB& db) : db_(db), snapshot_(db.GetSnapshot()) {}
  ~SnapshotScope() { db_.ReleaseSnapshot(snapshot_); }
  SnapshotScope(const SnapshotScope&) = delete;
  SnapshotScope& operator=(const SnapshotScope&) = delete;
  const leveldb::Snapshot* get() const { return snapshot_; }

 private:
  leveldb::DB& db_;
  const leveldb::Snapshot* snapshot_;
};

class LevelDbStore final : public Store, public Journal, public ValueStore, private CommitTarget {
 public:
  LevelDbStore(std::string path, Durability durability, std::unique_ptr<leveldb::DB> db, int64_t last_offset)
      : path_(std::move(path)),
        durability_(durability),
        db_(std::move(db)),
        last_offset_(last_offset),
        queue_(*this, DurableQueueOptions("leveldb store " + path_, durability)) {}

  // Commits what was accepted before the database closes and releases its LOCK.
  ~LevelDbStore() override { queue_.Close(); }

  Journal& journal() override { return *this; }
  ValueStore& values() override { return *this; }
  std::string Describe() const override {
    return "leveldb:" + path_ + (durability_ == Durability::kSync ? " (sync)" : " (buffered)");
  }

  void Append(JournalWrite write, WriteCallback done) override { queue_.Append(std::move(write), std::move(done)); }
  void Write(ValueWrite write, WriteCallback done) override { queue_.Write(std::move(write), std::move(done)); }

  Result<int64_t> HighestSequence(const EntityKey& key) override {
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(CheckedReads()));
    return Highest(*it, key);
  }

  Status ReadEvents(const EntityKey& key, int64_t from_sequence, const EventVisitor& visit) override {
    leveldb::ReadOptions options = CheckedReads();
    options.fill_cache = false;  // a replay reads each block once; keep the cache for point lookups
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(options));
    std::string prefix;
    fmt::EntityPrefix(fmt::kEventTag, key, &prefix);
    int64_t expected = std::max<int64_t>(from_sequence, 1);
    std::string start = prefix;
    fmt::AppendSequence(expected, &start);
    StoredEvent event;  // reused: its strings keep their capacity from event to event
    for (it->Seek(start); it->Valid() && StartsWith(it->key(), prefix); it->Next()) {
      leveldb::Slice k = it->key();
      if (k.size() != prefix.size() + fmt::kSequenceBytes) return Damaged(key, "an event key");
      event.sequence = fmt::DecodeSequence(k.data() + prefix.size());
      if (event.sequence != expected) {
        return Status::Corruption("leveldb store " + path_ + ": journal of " + EntityKeyText(key) + " lacks event " +
                                  std::to_string(expected) + " (next stored: " + std::to_string(event.sequence) + ")");
      }
      if (!fmt::DecodeAny(View(it->value()), &event.payload)) {
        return Damaged(key, "event " + std::to_string(event.sequence));
      }
      if (!visit(event)) return Status::Ok();
      ++expected;
    }
    return FromLevelDb(it->status(), path_, "reading events of " + EntityKeyText(key));
  }

  Status ReadFeed(const std::string& persistence_id, int64_t after_offset, const FeedVisitor& visit) override {
    if (after_offset == std::numeric_limits<int64_t>::max()) return Status::Ok();  // nothing can follow
    // Feed entries and their events were written in one batch: one snapshot sees both or neither.
    SnapshotScope snapshot(*db_);
    leveldb::ReadOptions options = CheckedReads();
    options.snapshot = snapshot.get();
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(options));
    std::string prefix, event_key, record;
    fmt::FeedPrefix(persistence_id, &prefix);
    std::string start = prefix;
    fmt::AppendSequence(std::max<int64_t>(after_offset, 0) + 1, &start);
    EntityKey key{persistence_id, {}};
    FeedEvent event;  // reused: its strings keep their capacity from event to event
    for (it->Seek(start); it->Valid() && StartsWith(it->key(), prefix); it->Next()) {
      if (it->key().size() != prefix.size() + fmt::kSequenceBytes) {
        return FeedDamaged(persistence_id, "a key is malformed");
      }
      event.offset = fmt::DecodeSequence(it->key().data() + prefix.size());
      if (!fmt::DecodeFeedEntry(View(it->value()), &event.entity_id, &event.sequence)) {
        return FeedDamaged(persistence_id, "entry " + std::to_string(event.offset) + " is malformed");
      }
      key.entity_id = event.entity_id;
      fmt::EntityPrefix(fmt::kEventTag, key, &event_key);
      fmt::AppendSequence(event.sequence, &event_key);
      leveldb::Status s = db_->Get(options, event_key, &record);
      if (s.IsNotFound()) {
        return FeedDamaged(persistence_id, "entry " + std::to_string(event.offset) + " names event " +
                                                std::to_string(event.sequence) + " of " + EntityKeyText(key) +
                                                ", which is missing");
      }
      if (!s.ok()) return FromLevelDb(s, path_, ReadingFeed(persistence_id));
      if (!fmt::DecodeAny(record, &event.payload)) return Damaged(key, "event " + std::to_string(event.sequence));
      if (!visit(event)) return Status::Ok();
    }
    return FromLevelDb(it->status(), path_, ReadingFeed(persistence_id));
  }

  Result<std::optional<Snapshot>> LoadSnapshot(const EntityKey& key) override {
    std::string k, record;
    fmt::EntityPrefix(fmt::kSnapshotTag, key, &k);
    leveldb::Status s = db_->Get(CheckedReads(), k, &record);
    if (s.IsNotFound()) return std::optional<Snapshot>();
    if (!s.ok()) return FromLevelDb(s, path_, "reading the snapshot of " + EntityKeyText(key));
    Snapshot snapshot;
    if (!fmt::DecodeSnapshot(record, &snapshot)) return Damaged(key, "the snapshot");
    return std::optional<Snapshot>(std::move(snapshot));
  }

  Result<VersionedValue> Read(const EntityKey& key) override {
    std::string k, record;
    fmt::EntityPrefix(fmt::kValueTag, key, &k);
    leveldb::Status s = db_->Get(CheckedReads(), k, &record);
    if (s.IsNotFound()) return VersionedValue{};
    if (!s.ok()) return FromLevelDb(s, path_, "reading the value of " + EntityKeyText(key));
    VersionedValue value;
    if (!fmt::DecodeValue(record, &value)) return Damaged(key, "the value");
    return value;
  }

 private:
  Status Damaged(const EntityKey& key, const std::string& what) const {
    return Status::Corruption("leveldb store " + path_ + ": " + what + " of " + EntityKeyText(key) +
                              " is malformed");
  }

  static std::string ReadingFeed(const std::string& persistence_id) {
    return "reading the event feed of '" + PersistenceIdText(persistence_id) + "'";
  }

  Status FeedDamaged(const std::string& persistence_id, const std::string& problem) const {
    return Status::Corruption("leveldb store " + path_ + ": event feed of '" + PersistenceIdText(persistence_id) +
                              "': " + problem);
  }

  // The last event key of the entity sorts just before prefix + 0xff * 8 (no sequence is that big).
  Result<int64_t> Highest(leveldb::Iterator& it, const EntityKey& key) {
    std::string prefix;
    fmt::EntityPrefix(fmt::kEventTag, key, &prefix);
    std::string limit = prefix;
    limit.append(fmt::kSequenceBytes, '\xff');
    it.Seek(limit);
    if (it.Valid()) {
      it.Prev();
    } else {
      it.SeekToLast();
    }
    if (it.Valid() && StartsWith(it.key(), prefix)) {
      if (it.key().size() != prefix.size() + fmt::kSequenceBytes) return Damaged(key, "an event key");
      return fmt::DecodeSequence(it.key().data() + prefix.size());
    }
    if (!it.status().ok()) return FromLevelDb(it.status(), path_, "reading the journal of " + EntityKeyText(key));
    return int64_t{0};
  }

  // CommitTarget, on the queue's writer thread. One iterator serves every lookup of a batch: the
  // batch's own earlier writes are tracked by the queue, not read back.
  Status BeginBatch() override {
    batch_reads_.reset(db_->NewIterator(CheckedReads()));
    return Status::Ok();
  }

  Result<int64_t> CommittedSequence(const EntityKey& key) override { return Highest(*batch_reads_, key); }

  Result<int64_t> CommittedVersion(const EntityKey& key) override {
    fmt::EntityPrefix(fmt::kValueTag, key, &key_);
    leveldb::Status s = db_->Get(CheckedReads(), key_, &record_);
    if (s.IsNotFound()) return int64_t{0};
    if (!s.ok()) return FromLevelDb(s, path_, "reading the version of " + EntityKeyText(key));
    VersionedValue value;
    if (!fmt::DecodeValue(record_, &value)) return Damaged(key, "the value");
    return value.version;
  }

  Status CommitBatch(std::span<const PendingWrite* const> accepted) override {
    batch_reads_.reset();
    batch_.Clear();
    for (const PendingWrite* pending : accepted) {
      if (auto* journal = std::get_if<JournalWrite>(&pending->write)) {
        AddJournalWrite(*journal);
      } else {
        const auto& value = std::get<ValueWrite>(pending->write);
        fmt::EntityPrefix(fmt::kValueTag, value.key, &key_);
        fmt::EncodeValue(value.expected_version + 1, value.value ? &*value.value : nullptr, &record_);
        batch_.Put(key_, record_);
      }
    }
    static const size_t kEmptyBatchSize = leveldb::WriteBatch().ApproximateSize();
    if (batch_.ApproximateSize() == kEmptyBatchSize) return Status::Ok();  // nothing to write, nothing to sync
    leveldb::WriteOptions options;
    options.sync = durability_ == Durability::kSync;
    return FromLevelDb(db_->Write(options, &batch_), path_, "committing");
  }

  // Each event goes in with its feed entry. Offsets follow the order of the batch, and batches
  // commit one after another on this thread, so they become visible in order. A failed commit
  // leaves a gap rather than handing its offsets out again: it may have reached the log anyway.
  void AddJournalWrite(const JournalWrite& write) {
    fmt::EntityPrefix(fmt::kEventTag, write.key, &key_);
    fmt::FeedPrefix(write.key.persistence_id, &feed_key_);
    const size_t prefix_size = key_.size(), feed_prefix_size = feed_key_.size();
    int64_t sequence = write.expected_sequence;
    for (const google::protobuf::Any& event : write.events) {
      key_.resize(prefix_size);
      fmt::AppendSequence(++sequence, &key_);
      fmt::EncodeAny(event, &record_);
      batch_.Put(key_, record_);
      feed_key_.resize(feed_prefix_size);
      fmt::AppendSequence(++last_offset_, &feed_key_);
      fmt::EncodeFeedEntry(write.key.entity_id, sequence, &record_);
      batch_.Put(feed_key_, record_);
    }
    if (!write.snapshot || write.events.empty()) return;
    fmt::EntityPrefix(fmt::kSnapshotTag, write.key, &key_);
    fmt::EncodeSnapshot(sequence, *write.snapshot, &record_);
    batch_.Put(key_, record_);
  }

  const std::string path_;
  const Durability durability_;
  std::unique_ptr<leveldb::DB> db_;
  // Writer thread only.
  std::unique_ptr<leveldb::Iterator> batch_reads_;
  leveldb::WriteBatch batch_;
  std::string key_, feed_key_, record_;
  int64_t last_offset_;  // the highest feed offset handed out
  CommitQueue queue_;  // last: closed before anything above goes
};

// A directory without CURRENT may still be a store whose creation was interrupted; it then holds
// only files LevelDB itself writes before CURRENT. Anything else is not ours to write into.
bool OnlyLevelDbFiles(const std::filesystem::path& dir, std::error_code& error) {
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    std::string name = entry.path().filename().string();
    auto ends_with = [&](std::string_view suffix) { return std::string_view(name).ends_with(suffix); };
    bool leveldb_file = name == "LOCK" || name == "LOG" || name == "LOG.old" || name.starts_with("MANIFEST-") ||
                        ends_with(".log") || ends_with(".ldb") || ends_with(".sst") || ends_with(".dbtmp");
    if (!leveldb_file) return false;
  }
  return true;
}

class LevelDbStoreFactory final : public StoreFactory {
 public:
  std::string_view Kind() const override { return "leveldb"; }

  Status Validate(const StoreOptions& options) const override {
    if (options.path.empty()) {
      return Status::InvalidArgument("the leveldb store needs a path: set StoreOptions::path to the database directory");
    }
    if (!options.settings.empty()) {
      return Status::InvalidArgument("the leveldb store has no setting '" + options.settings.begin()->first + "'");
    }
    return Status::Ok();
  }

  Result<std::unique_ptr<Store>> Create(const StoreOptions& options) const override {
    const std::string& path = options.path;
    const std::string where = "leveldb store " + path + ": ";
    std::filesystem::path dir(path);
    std::error_code error;
    if (std::filesystem::exists(dir, error)) {
      if (!std::filesystem::is_directory(dir, error)) {
        return Status::InvalidArgument(where + "the path is not a directory; the leveldb store needs a directory");
      }
      if (!std::filesystem::exists(dir / "CURRENT", error) && !OnlyLevelDbFiles(dir, error)) {
        return Status::Corruption(where + "the directory holds files but no LevelDB database (no CURRENT file)");
      }
    } else {
      std::filesystem::create_directories(dir, error);
      if (error) return Status::Unavailable(where + "cannot create the directory: " + error.message());
    }

    leveldb::Options db_options;
    db_options.create_if_missing = true;
    db_options.paranoid_checks = true;
    leveldb::DB* raw = nullptr;
    leveldb::Status s = leveldb::DB::Open(db_options, path, &raw);
    if (!s.ok()) {
      // LevelDB reports a held LOCK (by another process, or by this one) as an I/O error on LOCK.
      if (s.IsIOError() && s.ToString().find("LOCK") != std::string::npos) {
        return Status::Unavailable(where + "locked by another process or already open in this one (" + s.ToString() +
                                   ")");
      }
      return FromLevelDb(s, path, "opening");
    }
    std::unique_ptr<leveldb::DB> db(raw);
    if (Status status = PrepareLevelDbFormat(*db, path); !status.ok()) return status;
    Result<int64_t> last_offset = LastFeedOffset(*db, path);
    if (!last_offset.ok()) return last_offset.status();
    return std::unique_ptr<Store>(
        std::make_unique<LevelDbStore>(path, options.durability, std::move(db), *last_offset));
  }
};

}  // namespace

void RegisterLevelDbStore(StoreRegistry& registry) {
  registry.Register(std::make_unique<LevelDbStoreFactory>()).IgnoreError();
}

}  // namespace cloudstate
