// The LevelDB store: one database directory (format: docs/formats/leveldb-store.md). Writes go
// through a CommitQueue, a batch per leveldb::WriteBatch; reads are iterator scans and point
// lookups, which LevelDB serves concurrently with the writer.
#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "cloudstate/store_registry.h"
#include "stores/commit_queue.h"
#include "stores/entity_key_text.h"
#include "stores/leveldb_format.h"

namespace cloudstate {
namespace {

namespace fmt = leveldb_format;

std::string_view View(const leveldb::Slice& slice) { return {slice.data(), slice.size()}; }

bool StartsWith(const leveldb::Slice& key, const std::string& prefix) {
  return key.size() >= prefix.size() && std::memcmp(key.data(), prefix.data(), prefix.size()) == 0;
}

// LevelDB's I/O errors are retryable; anything that says the files are damaged or not what they
// should be is Corruption.
Status FromLevelDb(const leveldb::Status& status, const std::string& path, std::string_view what) {
  if (status.ok()) return Status::Ok();
  std::string message = "leveldb store " + path + ": " + std::string(what) + ": " + status.ToString();
  if (status.IsIOError()) return Status::Unavailable(std::move(message));
  return Status::Corruption(std::move(message));
}

leveldb::ReadOptions CheckedReads() {
  leveldb::ReadOptions options;
  options.verify_checksums = true;
  return options;
}

class LevelDbStore final : public Store, public Journal, public ValueStore, private CommitTarget {
 public:
  LevelDbStore(std::string path, Durability durability, std::unique_ptr<leveldb::DB> db)
      : path_(std::move(path)),
        durability_(durability),
        db_(std::move(db)),
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

  void AddJournalWrite(const JournalWrite& write) {
    fmt::EntityPrefix(fmt::kEventTag, write.key, &key_);
    const size_t prefix_size = key_.size();
    int64_t sequence = write.expected_sequence;
    for (const google::protobuf::Any& event : write.events) {
      key_.resize(prefix_size);
      fmt::AppendSequence(++sequence, &key_);
      fmt::EncodeAny(event, &record_);
      batch_.Put(key_, record_);
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
  std::string key_, record_;
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

// Checks the format record, or writes it into a new, empty database.
Status CheckFormat(leveldb::DB& db, const std::string& path) {
  const std::string where = "leveldb store " + path + ": ";
  std::string record;
  leveldb::Status s = db.Get(CheckedReads(), leveldb::Slice(fmt::kFormatKey.data(), fmt::kFormatKey.size()), &record);
  if (s.IsNotFound()) {
    std::unique_ptr<leveldb::Iterator> it(db.NewIterator(CheckedReads()));
    it->SeekToFirst();
    if (it->Valid()) {
      return Status::Corruption(where + "the database holds data but no cloudstate format record: not a cloudstate store");
    }
    if (!it->status().ok()) return FromLevelDb(it->status(), path, "reading the database");
    leveldb::WriteOptions sync;
    sync.sync = true;
    return FromLevelDb(db.Put(sync, leveldb::Slice(fmt::kFormatKey.data(), fmt::kFormatKey.size()),
                              fmt::FormatRecord(fmt::kFormatVersion)),
                       path, "writing the format record");
  }
  if (!s.ok()) return FromLevelDb(s, path, "reading the format record");
  int64_t version = fmt::ParseFormatRecord(record);
  if (version > fmt::kFormatVersion) {
    return Status::Corruption(where + "the database has store format version " + std::to_string(version) +
                              ", newer than version " + std::to_string(fmt::kFormatVersion) +
                              " that this build reads; open it with a newer release");
  }
  if (version < 1) {
    std::string shown;
    AppendPrintable(shown, record.substr(0, 64));
    return Status::Corruption(where + "unknown store format record '" + shown + "'");
  }
  return Status::Ok();
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
    if (Status status = CheckFormat(*db, path); !status.ok()) return status;
    return std::unique_ptr<Store>(std::make_unique<LevelDbStore>(path, options.durability, std::move(db)));
  }
};

}  // namespace

void RegisterLevelDbStore(StoreRegistry& registry) {
  registry.Register(std::make_unique<LevelDbStoreFactory>()).IgnoreError();
}

}  // namespace cloudstate
