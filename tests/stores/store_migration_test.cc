// Opening a store written by an older release: the files are built here in the old layout with
// the database libraries directly (as the old code wrote them), so the upgrade is tested against
// the documented format, not against our own writer.
#include <leveldb/db.h>
#include <sqlite3.h>

#include "store_harness.h"

namespace cloudstate::testing {
namespace {

using namespace std::string_literals;

struct OldEvent {
  EntityKey key;
  int64_t sequence;
  std::string text;
};

// Written in this order; version 1 kept no commit order, so the feed lists them by key instead.
const std::vector<OldEvent> kOldEvents = {
    {{"p", "b"}, 1, "b1"}, {{"p", "a"}, 1, "a1"}, {{"q", "a"}, 1, "q1"},
    {{"p", "a"}, 2, "a2"}, {{"p\0"s, "a"}, 1, "nul"}, {{"p", "b"}, 2, "b2"},
};

// --- SQLite version 1: the three tables, no feed.

constexpr char kSqliteV1[] = R"sql(
PRAGMA journal_mode = WAL;
CREATE TABLE events (persistence_id BLOB NOT NULL, entity_id BLOB NOT NULL, seq INTEGER NOT NULL,
  type_url TEXT NOT NULL, payload BLOB NOT NULL, PRIMARY KEY (persistence_id, entity_id, seq)) WITHOUT ROWID;
CREATE TABLE snapshots (persistence_id BLOB NOT NULL, entity_id BLOB NOT NULL, seq INTEGER NOT NULL,
  type_url TEXT NOT NULL, payload BLOB NOT NULL, PRIMARY KEY (persistence_id, entity_id));
CREATE TABLE entity_values (persistence_id BLOB NOT NULL, entity_id BLOB NOT NULL, version INTEGER NOT NULL,
  type_url TEXT, payload BLOB, PRIMARY KEY (persistence_id, entity_id));
PRAGMA application_id = 1131172724;
PRAGMA user_version = 1;
)sql";

sqlite3* OpenSqlite(const std::string& path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  return db;
}

void WriteSqliteV1(const std::string& path) {
  sqlite3* db = OpenSqlite(path);
  REQUIRE(sqlite3_exec(db, kSqliteV1, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_stmt* insert = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5)", -1, &insert, nullptr) == SQLITE_OK);
  for (const OldEvent& event : kOldEvents) {
    const std::string& pid = event.key.persistence_id;
    const std::string& eid = event.key.entity_id;
    sqlite3_bind_blob(insert, 1, pid.data(), static_cast<int>(pid.size()), SQLITE_STATIC);
    sqlite3_bind_blob(insert, 2, eid.data(), static_cast<int>(eid.size()), SQLITE_STATIC);
    sqlite3_bind_int64(insert, 3, event.sequence);
    sqlite3_bind_text(insert, 4, "type.googleapis.com/test.Event", -1, SQLITE_STATIC);
    sqlite3_bind_blob(insert, 5, event.text.data(), static_cast<int>(event.text.size()), SQLITE_STATIC);
    REQUIRE(sqlite3_step(insert) == SQLITE_DONE);
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  sqlite3_close(db);
}

int64_t SqliteVersion(const std::string& path) {
  sqlite3* db = OpenSqlite(path);
  sqlite3_stmt* query = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &query, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(query) == SQLITE_ROW);
  int64_t version = sqlite3_column_int64(query, 0);
  sqlite3_finalize(query);
  sqlite3_close(db);
  return version;
}

// --- LevelDB version 1: the format record and event keys, encoded by hand from the format doc.

const std::string kFormatKey("\0format", 7);

std::string LengthPrefixed(const std::string& bytes) {
  REQUIRE(bytes.size() < 128);  // a one-byte varint
  return std::string(1, static_cast<char>(bytes.size())) + bytes;
}

std::string EventKeyV1(const EntityKey& key, int64_t sequence) {
  std::string out = "\x01" + LengthPrefixed(key.persistence_id) + LengthPrefixed(key.entity_id);
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(sequence >> shift));
  return out;
}

std::unique_ptr<leveldb::DB> OpenLevelDb(const std::string& path) {
  leveldb::Options options;
  options.create_if_missing = true;
  leveldb::DB* db = nullptr;
  leveldb::Status status = leveldb::DB::Open(options, path, &db);
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  return std::unique_ptr<leveldb::DB>(db);
}

void WriteLevelDbV1(const std::string& path) {
  std::unique_ptr<leveldb::DB> db = OpenLevelDb(path);
  REQUIRE(db->Put(leveldb::WriteOptions(), kFormatKey, "cloudstate-leveldb-store/1").ok());
  for (const OldEvent& event : kOldEvents) {
    std::string value = LengthPrefixed("type.googleapis.com/test.Event") + event.text;
    REQUIRE(db->Put(leveldb::WriteOptions(), EventKeyV1(event.key, event.sequence), value).ok());
  }
}

std::string LevelDbFormatRecord(const std::string& path) {
  std::string record;
  REQUIRE(OpenLevelDb(path)->Get(leveldb::ReadOptions(), kFormatKey, &record).ok());
  return record;
}

// --- The checks, the same for both stores.

int64_t LastOffset(Journal& journal) {
  int64_t last = 0;
  for (const std::string& persistence_id : {"p"s, "q"s, "p\0"s}) {
    for (const FeedEvent& event : Feed(journal, persistence_id)) last = std::max(last, event.offset);
  }
  return last;
}

// The old events are in the feed (each entity's in sequence order), the journal still works, and
// new events get offsets above every old one, also after another reopen.
void CheckUpgraded(const StoreOptions& options) {
  int64_t upgraded_last = 0;
  {
    std::unique_ptr<Store> store = MustOpen(options);
    Journal& journal = store->journal();
    CHECK(Described(Feed(journal, "p")) == std::vector<std::string>{"a:1:a1", "a:2:a2", "b:1:b1", "b:2:b2"});
    CHECK(Described(Feed(journal, "q")) == std::vector<std::string>{"a:1:q1"});
    CHECK(Described(Feed(journal, "p\0"s)) == std::vector<std::string>{"a:1:nul"});
    CHECK(Texts(ReadAll(journal, {"p", "b"})) == std::vector<std::string>{"b1", "b2"});
    upgraded_last = LastOffset(journal);
    CHECK(upgraded_last >= static_cast<int64_t>(kOldEvents.size()));
    REQUIRE(AppendAndWait(journal, Appending({"q", "a"}, 1, {"q2"})).ok());
    std::vector<FeedEvent> q = Feed(journal, "q");
    REQUIRE(q.size() == 2);
    CHECK(q[1].offset > upgraded_last);
  }
  std::unique_ptr<Store> store = MustOpen(options);
  std::vector<FeedEvent> p = Feed(store->journal(), "p");
  CHECK(p.size() == 4);  // upgraded once, not again
  REQUIRE(AppendAndWait(store->journal(), Appending({"p", "a"}, 2, {"a3"})).ok());
  std::vector<FeedEvent> after = Feed(store->journal(), "p", p.back().offset);
  REQUIRE(after.size() == 1);
  CHECK(after[0].offset > Feed(store->journal(), "q").back().offset);
}

TEST_CASE("sqlite: a version-1 file gets the event feed on open and becomes version 2") {
  TempDir dir;
  StoreOptions options = OptionsIn(dir, "sqlite");
  WriteSqliteV1(options.path);
  CheckUpgraded(options);
  CHECK(SqliteVersion(options.path) == 2);
}

TEST_CASE("leveldb: a version-1 database gets the event feed on open and becomes version 2") {
  TempDir dir;
  StoreOptions options = OptionsIn(dir, "leveldb");
  WriteLevelDbV1(options.path);
  CheckUpgraded(options);
  CHECK(LevelDbFormatRecord(options.path) == "cloudstate-leveldb-store/2");
}

TEST_CASE("an empty version-1 store upgrades too") {
  for (std::string kind : {"sqlite", "leveldb"}) {
    CAPTURE(kind);
    TempDir dir;
    StoreOptions options = OptionsIn(dir, kind);
    if (kind == "sqlite") {
      sqlite3* db = OpenSqlite(options.path);
      REQUIRE(sqlite3_exec(db, kSqliteV1, nullptr, nullptr, nullptr) == SQLITE_OK);
      sqlite3_close(db);
    } else {
      REQUIRE(OpenLevelDb(options.path)->Put(leveldb::WriteOptions(), kFormatKey, "cloudstate-leveldb-store/1").ok());
    }
    std::unique_ptr<Store> store = MustOpen(options);
    CHECK(Feed(store->journal(), "p").empty());
    REQUIRE(AppendAndWait(store->journal(), Appending({"p", "a"}, 0, {"1"})).ok());
    CHECK(Described(Feed(store->journal(), "p")) == std::vector<std::string>{"a:1:1"});
  }
}

}  // namespace
}  // namespace cloudstate::testing
