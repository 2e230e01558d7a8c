#include "stores/sqlite_schema.h"

#include <cstdio>
#include <string>

namespace cloudstate {
namespace {

// Keys are BLOBs holding the ids' exact bytes: ids may contain any byte, NUL included, and BLOBs
// compare with memcmp. Events are clustered by key and sequence (WITHOUT ROWID), so a replay is one
// range scan.
constexpr char kCreateSchema[] = R"sql(
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

std::string Hex(int64_t value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(value));
  return buf;
}

Status CreateSchema(SqliteConnection& conn) {
  std::string sql = std::string("BEGIN IMMEDIATE;") + kCreateSchema +
                    "PRAGMA application_id = " + std::to_string(kSqliteApplicationId) + ";" +
                    "PRAGMA user_version = " + std::to_string(kSqliteFormatVersion) + ";" + "COMMIT;";
  Status status = conn.Exec(sql.c_str(), "creating the schema");
  if (!status.ok() && !sqlite3_get_autocommit(conn.db())) conn.Exec("ROLLBACK", "rolling back").IgnoreError();
  return status;
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
  Result<int64_t> tables = conn.QueryInt(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('events', 'snapshots', 'entity_values')",
      "reading the schema");
  if (!tables.ok()) return tables.status();
  if (*tables != 3) return Status::Corruption(where + "the file lacks tables of the store schema");
  return Status::Ok();
}

}  // namespace cloudstate
