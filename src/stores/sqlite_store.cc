// The SQLite store: one database file in WAL mode (format: docs/formats/sqlite-store.md). Writes go
// through a CommitQueue to one writer connection, a batch per transaction; reads use a pool of
// separate connections, so they never wait behind the writer's fsync.
#include <algorithm>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "cloudstate/store_registry.h"
#include "stores/commit_queue.h"
#include "stores/entity_key_text.h"
#include "stores/file_lock.h"
#include "stores/sqlite_connection.h"
#include "stores/sqlite_schema.h"
#include "stores/sqlite_session.h"

namespace cloudstate {
namespace {

void BindKey(SqliteStatement& statement, const EntityKey& key) {
  statement.BindBlob(1, key.persistence_id);
  statement.BindBlob(2, key.entity_id);
}

void AssignBytes(std::string* out, std::string_view bytes) { out->assign(bytes.data(), bytes.size()); }

// Steps a statement that returns no rows.
Status Run(Session& s, SqliteStatement& statement, const char* what, const EntityKey* key = nullptr) {
  StatementScope scope(statement);
  int rc = sqlite3_step(statement.get());
  if (rc == SQLITE_DONE) return Status::Ok();
  return s.conn->Error(rc, key == nullptr ? std::string(what) : std::string(what) + " of " + EntityKeyText(*key));
}

Result<int64_t> QueryHighest(Session& s, const EntityKey& key) {
  StatementScope scope(s.highest);
  BindKey(s.highest, key);
  int rc = sqlite3_step(s.highest.get());
  if (rc == SQLITE_DONE) return int64_t{0};
  if (rc != SQLITE_ROW) return s.conn->Error(rc, "reading the highest sequence of " + EntityKeyText(key));
  return s.highest.ColumnInt64(0);
}

class SqliteStore final : public Store, public Journal, public ValueStore, private CommitTarget {
 public:
  SqliteStore(std::string path, Durability durability, std::unique_ptr<FileLock> lock,
              std::unique_ptr<Session> writer, std::unique_ptr<Session> reader, int64_t last_offset)
      : path_(std::move(path)),
        durability_(durability),
        lock_(std::move(lock)),
        writer_(std::move(writer)),
        last_offset_(last_offset),
        queue_(*this, DurableQueueOptions("sqlite store " + path_, durability)) {
    idle_readers_.push_back(std::move(reader));
  }

  // Commits what was accepted before the connections close and the lock is released.
  ~SqliteStore() override { queue_.Close(); }

  Journal& journal() override { return *this; }
  ValueStore& values() override { return *this; }
  std::string Describe() const override {
    return "sqlite:" + path_ + (durability_ == Durability::kSync ? " (sync)" : " (buffered)");
  }

  void Append(JournalWrite write, WriteCallback done) override { queue_.Append(std::move(write), std::move(done)); }
  void Write(ValueWrite write, WriteCallback done) override { queue_.Write(std::move(write), std::move(done)); }

  Result<int64_t> HighestSequence(const EntityKey& key) override {
    ReaderLease lease(*this);
    if (!lease.ok()) return lease.status();
    return QueryHighest(lease.session(), key);
  }

  Status ReadEvents(const EntityKey& key, int64_t from_sequence, const EventVisitor& visit) override {
    ReaderLease lease(*this);
    if (!lease.ok()) return lease.status();
    Session& s = lease.session();
    SqliteStatement& query = s.read_events;
    StatementScope scope(query);
    int64_t expected = std::max<int64_t>(from_sequence, 1);
    BindKey(query, key);
    query.BindInt64(3, expected);
    StoredEvent event;  // reused: its strings keep their capacity from row to row
    int rc;
    while ((rc = sqlite3_step(query.get())) == SQLITE_ROW) {
      event.sequence = query.ColumnInt64(0);
      if (event.sequence != expected) {
        return Status::Corruption("sqlite store " + path_ + ": journal of " + EntityKeyText(key) + " lacks event " +
                                  std::to_string(expected) + " (next stored: " + std::to_string(event.sequence) + ")");
      }
      AssignBytes(event.payload.mutable_type_url(), query.ColumnBytes(1));
      AssignBytes(event.payload.mutable_value(), query.ColumnBytes(2));
      if (!visit(event)) return Status::Ok();
      ++expected;
    }
    if (rc != SQLITE_DONE) return s.conn->Error(rc, "reading events of " + EntityKeyText(key));
    return Status::Ok();
  }

  // One statement, so one read transaction: the rows are a consistent view, and since the writer
  // hands out offsets in commit order, nothing at or below the last offset read can commit later.
  Status ReadFeed(const std::string& persistence_id, int64_t after_offset, const FeedVisitor& visit) override {
    ReaderLease lease(*this);
    if (!lease.ok()) return lease.status();
    Session& s = lease.session();
    SqliteStatement& query = s.read_feed;
    StatementScope scope(query);
    query.BindBlob(1, persistence_id);
    query.BindInt64(2, after_offset);
    FeedEvent event;  // reused: its strings keep their capacity from row to row
    int rc;
    while ((rc = sqlite3_step(query.get())) == SQLITE_ROW) {
      event.offset = query.ColumnInt64(0);
      AssignBytes(&event.entity_id, query.ColumnBytes(1));
      event.sequence = query.ColumnInt64(2);
      if (query.ColumnIsNull(3)) {
        return Status::Corruption("sqlite store " + path_ + ": feed offset " + std::to_string(event.offset) +
                                  " names event " + std::to_string(event.sequence) + " of " +
                                  EntityKeyText({persistence_id, event.entity_id}) + ", which is missing");
      }
      AssignBytes(event.payload.mutable_type_url(), query.ColumnBytes(3));
      AssignBytes(event.payload.mutable_value(), query.ColumnBytes(4));
      if (!visit(event)) return Status::Ok();
    }
    if (rc != SQLITE_DONE) {
      return s.conn->Error(rc, "reading the event feed of '" + PersistenceIdText(persistence_id) + "'");
    }
    return Status::Ok();
  }

  Result<std::optional<Snapshot>> LoadSnapshot(const EntityKey& key) override {
    ReaderLease lease(*this);
    if (!lease.ok()) return lease.status();
    Session& s = lease.session();
    StatementScope scope(s.load_snapshot);
    BindKey(s.load_snapshot, key);
    int rc = sqlite3_step(s.load_snapshot.get());
    if (rc == SQLITE_DONE) return std::optional<Snapshot>();
    if (rc != SQLITE_ROW) return s.conn->Error(rc, "reading the snapshot of " + EntityKeyText(key));
    Snapshot snapshot;
    snapshot.sequence = s.load_snapshot.ColumnInt64(0);
    AssignBytes(snapshot.state.mutable_type_url(), s.load_snapshot.ColumnBytes(1));
    AssignBytes(snapshot.state.mutable_value(), s.load_snapshot.ColumnBytes(2));
    return std::optional<Snapshot>(std::move(snapshot));
  }

  Result<VersionedValue> Read(const EntityKey& key) override {
    ReaderLease lease(*this);
    if (!lease.ok()) return lease.status();
    Session& s = lease.session();
    StatementScope scope(s.read_value);
    BindKey(s.read_value, key);
    int rc = sqlite3_step(s.read_value.get());
    if (rc == SQLITE_DONE) return VersionedValue{};
    if (rc != SQLITE_ROW) return s.conn->Error(rc, "reading the value of " + EntityKeyText(key));
    VersionedValue value;
    value.version = s.read_value.ColumnInt64(0);
    if (!s.read_value.ColumnIsNull(2)) {
      value.value.emplace();
      AssignBytes(value.value->mutable_type_url(), s.read_value.ColumnBytes(1));
      AssignBytes(value.value->mutable_value(), s.read_value.ColumnBytes(2));
    }
    return value;
  }

 private:
  // Borrows an idle reader connection, or opens one, for the duration of one read.
  class ReaderLease {
   public:
    explicit ReaderLease(SqliteStore& store) : store_(store) {
      {
        std::lock_guard lock(store_.readers_mu_);
        if (!store_.idle_readers_.empty()) {
          session_ = std::move(store_.idle_readers_.back());
          store_.idle_readers_.pop_back();
          return;
        }
      }
      Result<std::unique_ptr<Session>> opened = OpenSession(store_.path_, false, store_.durability_);
      if (opened.ok()) {
        session_ = std::move(*opened);
      } else {
        status_ = opened.status();
      }
    }
    ~ReaderLease() {
      if (!session_) return;
      std::lock_guard lock(store_.readers_mu_);
      if (store_.idle_readers_.size() < kMaxIdleReaders) store_.idle_readers_.push_back(std::move(session_));
    }
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;

    bool ok() const { return session_ != nullptr; }
    const Status& status() const { return status_; }
    Session& session() { return *session_; }

   private:
    SqliteStore& store_;
    std::unique_ptr<Session> session_;
    Status status_;
  };

  // More concurrent readers than this open extra connections that close after use.
  static constexpr size_t kMaxIdleReaders = 16;

  // CommitTarget, on the queue's writer thread.
  Status BeginBatch() override { return Run(*writer_, writer_->begin, "starting a commit"); }

  Result<int64_t> CommittedSequence(const EntityKey& key) override { return QueryHighest(*writer_, key); }

  Result<int64_t> CommittedVersion(const EntityKey& key) override {
    SqliteStatement& query = writer_->value_version;
    StatementScope scope(query);
    BindKey(query, key);
    int rc = sqlite3_step(query.get());
    if (rc == SQLITE_DONE) return int64_t{0};
    if (rc != SQLITE_ROW) return writer_->conn->Error(rc, "reading the version of " + EntityKeyText(key));
    return query.ColumnInt64(0);
  }

  Status CommitBatch(std::span<const PendingWrite* const> accepted) override {
    Status status;
    for (const PendingWrite* pending : accepted) {
      if (auto* journal = std::get_if<JournalWrite>(&pending->write)) {
        status = ApplyJournalWrite(*journal);
      } else {
        status = ApplyValueWrite(std::get<ValueWrite>(pending->write));
      }
      if (!status.ok()) break;
    }
    if (status.ok()) status = Run(*writer_, writer_->commit, "committing");
    // Some failures (I/O, a full disk) already rolled the transaction back.
    if (!status.ok() && !sqlite3_get_autocommit(writer_->conn->db())) {
      Run(*writer_, writer_->rollback, "rolling back").IgnoreError();
    }
    return status;
  }

  // Each event goes in with its feed row. Offsets follow the order of the batch, and batches commit
  // one after another on this thread, so they become visible in order. A failed commit leaves a gap
  // rather than handing its offsets out again.
  Status ApplyJournalWrite(const JournalWrite& write) {
    int64_t sequence = write.expected_sequence;
    SqliteStatement& insert = writer_->insert_event;
    SqliteStatement& feed = writer_->insert_feed;
    for (const google::protobuf::Any& event : write.events) {
      BindKey(insert, write.key);
      insert.BindInt64(3, ++sequence);
      insert.BindText(4, event.type_url());
      insert.BindBlob(5, event.value());
      if (Status status = Run(*writer_, insert, "appending an event", &write.key); !status.ok()) return status;
      feed.BindBlob(1, write.key.persistence_id);
      feed.BindInt64(2, ++last_offset_);
      feed.BindBlob(3, write.key.entity_id);
      feed.BindInt64(4, sequence);
      if (Status status = Run(*writer_, feed, "adding to the event feed", &write.key); !status.ok()) return status;
    }
    if (!write.snapshot || write.events.empty()) return Status::Ok();
    SqliteStatement& put = writer_->put_snapshot;
    BindKey(put, write.key);
    put.BindInt64(3, sequence);
    put.BindText(4, write.snapshot->type_url());
    put.BindBlob(5, write.snapshot->value());
    return Run(*writer_, put, "saving the snapshot", &write.key);
  }

  Status ApplyValueWrite(const ValueWrite& write) {
    SqliteStatement& put = writer_->put_value;
    BindKey(put, write.key);
    put.BindInt64(3, write.expected_version + 1);
    if (write.value) {
      put.BindText(4, write.value->type_url());
      put.BindBlob(5, write.value->value());
    } else {
      put.BindNull(4);
      put.BindNull(5);
    }
    return Run(*writer_, put, "writing the value", &write.key);
  }

  const std::string path_;
  const Durability durability_;
  std::unique_ptr<FileLock> lock_;  // released after every connection has closed
  std::unique_ptr<Session> writer_;
  int64_t last_offset_;  // writer thread only: the highest feed offset handed out
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Session>> idle_readers_;  // guarded by readers_mu_
  CommitQueue queue_;                                   // last: closed before anything above goes
};

class SqliteStoreFactory final : public StoreFactory {
 public:
  std::string_view Kind() const override { return "sqlite"; }

  Status Validate(const StoreOptions& options) const override {
    if (options.path.empty()) {
      return Status::InvalidArgument("the sqlite store needs a path: set StoreOptions::path to the database file");
    }
    if (!options.settings.empty()) {
      return Status::InvalidArgument("the sqlite store has no setting '" + options.settings.begin()->first + "'");
    }
    return Status::Ok();
  }

  Result<std::unique_ptr<Store>> Create(const StoreOptions& options) const override {
    const std::string& path = options.path;
    const std::string where = "sqlite store " + path + ": ";
    std::error_code error;
    std::filesystem::path file(path);
    if (std::filesystem::is_directory(file, error)) {
      return Status::InvalidArgument(where + "the path is a directory; the sqlite store needs a file");
    }
    if (file.has_parent_path() && !std::filesystem::exists(file.parent_path(), error)) {
      std::filesystem::create_directories(file.parent_path(), error);
      if (error) return Status::Unavailable(where + "cannot create its directory: " + error.message());
    }
    // Taken before SQLite touches the file, so a second owner never gets as far as recovery.
    Result<std::unique_ptr<FileLock>> lock = FileLock::Acquire(path + "-lock");
    if (!lock.ok()) return Status(lock.status().code(), where + lock.status().message());
    Result<std::unique_ptr<Session>> writer = OpenSession(path, true, options.durability);
    if (!writer.ok()) return writer.status();
    Result<int64_t> last_offset = LastFeedOffset(*(*writer)->conn);
    if (!last_offset.ok()) return last_offset.status();
    Result<std::unique_ptr<Session>> reader = OpenSession(path, false, options.durability);
    if (!reader.ok()) return reader.status();
    return std::unique_ptr<Store>(std::make_unique<SqliteStore>(path, options.durability, std::move(*lock),
                                                                std::move(*writer), std::move(*reader),
                                                                *last_offset));
  }
};

}  // namespace

void RegisterSqliteStore(StoreRegistry& registry) {
  registry.Register(std::make_unique<SqliteStoreFactory>()).IgnoreError();
}

}  // namespace cloudstate
