#include "stores/sqlite_schema.h"

#include <cstdio>
#include <string>

namespace cloudstate {
namespace {

// Keys are BLOBs holding the ids' exact bytes: ids may contain any byte, NUL included, and BLOBs
// compare with memcmp. Events are clustered by key and sequence (WITHOUT ROWID), so a replay is one
// range scan.
constexpr char kCreateV1Schema[] = R"sql(
CREATE TABLE events (
  persistence_id BLOB NOT NULL,
  entity_id BLOB NOT NULL,
  seq INTEGER NOT NULL,
  type_url TEXT NOT NULL,
  payload BLOB NOT NULL,
  PRIMARY KEY (persistence_id, entity_id, seq)
) WITHOUT ROWID;
CREATE TABLE snapshots (
  persistence_id BLOB NOT NULL,
  entity_id BLOB NOT NULL,
  seq INTEGER NOT NULL,
  type_url TEXT NOT NULL,
  payload BLOB NOT NULL,
  PRIMARY KEY (persistence_id, entity_id)
);
CREATE TABLE entity_values (
  persistence_id BLOB NOT NULL,
  entity_id BLOB NOT NULL,
  version INTEGER NOT NULL,
  type_url TEXT,
  payload BLOB,
  PRIMARY KEY (persistence_id, entity_id)
);
)sql";

// Version 2: the feed of each persistence id, its events of every entity in offset order. The
// payload stays in `events`; a feed read joins on the event's key.
constexpr char kCreateFeed[] = R"sql(
CREATE TABLE event_feed (
  persistence_id BLOB NOT NULL,
  feed_offset INTEGER NOT NULL,
  entity_id BLOB NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (persistence_id, feed_offset)
) WITHOUT ROWID;
)sql";

// Version 1 recorded no commit order: the feed starts with the existing events in key order
// (persistence id, entity id, sequence), which keeps each entity's events in sequence order.
constexpr char kBackfillFeed[] = R"sql(
INSERT INTO event_feed (persistence_id, feed_offset, entity_id, seq)
  SELECT persistence_id, row_number() OVER (ORDER BY persistence_id, entity_id, seq), entity_id, seq
  FROM events ORDER BY persistence_id, entity_id, seq;
)sql";

std::string Hex(int64_t value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(value));
  return buf;
}

// Runs `sql` in one transaction, rolled back when any of it fails.
Status ExecTransaction(SqliteConnection& conn, const std::string& sql, const char* what) {
  Status status = conn.Exec(("BEGIN IMMEDIATE;" + sql + "COMMIT;").c_str(), what);
  if (!status.ok() && !sqlite3_get_autocommit(conn.db())) conn.Exec("ROLLBACK", "rolling back").IgnoreError();
  return status;
}

Status CreateSchema(SqliteConnection& conn) {
  return ExecTransaction(conn,
                         std::string(kCreateV1Schema) + kCreateFeed + "PRAGMA application_id = " +
                             std::to_string(kSqliteApplicationId) + ";" +
                             "PRAGMA user_version = " + std::to_string(kSqliteFormatVersion) + ";",
                         "creating the schema");
}

// A crash part-way leaves version 1 untouched: the table, its rows and the version go in together.
Status UpgradeToV2(SqliteConnection& conn) {
  return ExecTransaction(conn, std::string(kCreateFeed) + kBackfillFeed + "PRAGMA user_version = 2;",
                         "upgrading to format version 2");
}

Status CheckTables(SqliteConnection& conn, const char* names, int64_t expected, const std::string& where) {
  std::string sql = std::string("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (") + names + ")";
  Result<int64_t> tables = conn.QueryInt(sql.c_str(), "reading the schema");
  if (!tables.ok()) return tables.status();
  if (*tables != expected) return Status::Corruption(where + "the file lacks tables of the store schema");
  return Status::Ok();
}

}  // namespace

Status PrepareSqliteSchema(SqliteConnection& conn) {
  // The first read of the file: a file that is not SQLite fails here with SQLITE_NOTADB.
  Result<int64_t> application_id = conn.QueryInt("PRAGMA application_id", "reading the file header");
  if (!application_id.ok()) return application_id.status();
  Result<int64_t> version = conn.QueryInt("PRAGMA user_version", "reading the format version");
  if (!version.ok()) return version.status();
  Result<int64_t> objects = conn.QueryInt("SELECT count(*) FROM sqlite_master", "reading the schema");
  if (!objects.ok()) return objects.status();

  const std::string where = "sqlite store " + conn.path() + ": ";
  if (*application_id == 0 && *version == 0 && *objects == 0) return CreateSchema(conn);
  if (*application_id != kSqliteApplicationId) {
    return Status::Corruption(where + "the file is an SQLite database of another application (application_id " +
                              Hex(*application_id) + "), not a cloudstate store");
  }
  if (*version > kSqliteFormatVersion) {
    return Status::Corruption(where + "the file has store format version " + std::to_string(*version) +
                              ", newer than version " + std::to_string(kSqliteFormatVersion) +
                              " that this build reads; open it with a newer release");
  }
  if (*version < 1) {
    return Status::Corruption(where + "the file has unknown store format version " + std::to_string(*version));
  }
  if (Status status = CheckTables(conn, "'events', 'snapshots', 'entity_values'", 3, where); !status.ok()) {
    return status;
  }
  if (*version == 1) return UpgradeToV2(conn);
  return CheckTables(conn, "'event_feed'", 1, where);
}

Result<int64_t> LastFeedOffset(SqliteConnection& conn) {
  // A skip scan over the primary key: the largest offset of each persistence id is one index seek,
  // so opening does not read the whole feed (max(feed_offset) alone would).
  return conn.QueryInt(R"sql(
WITH RECURSIVE ids(id) AS (
  SELECT (SELECT min(persistence_id) FROM event_feed)
  UNION ALL
  SELECT (SELECT min(persistence_id) FROM event_feed WHERE persistence_id > id) FROM ids WHERE id IS NOT NULL
)
SELECT coalesce(max((SELECT max(feed_offset) FROM event_feed WHERE persistence_id = id)), 0)
FROM ids WHERE id IS NOT NULL
)sql",
                       "reading the last feed offset");
}

}  // namespace cloudstate
