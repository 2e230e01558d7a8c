#include "stores/sqlite_connection.h"

namespace cloudstate {

Status SqliteStatus(int rc, sqlite3* db, const std::string& path, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return Status::Ok();
  std::string message = "sqlite store " + path + ": " + std::string(what) + ": ";
  // The connection's message is more specific than the code's, when it is about this error.
  message += db != nullptr && sqlite3_extended_errcode(db) == rc ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
      return Status::Corruption(std::move(message));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_NOLFS:
    case SQLITE_INTERRUPT:
      return Status::Unavailable(std::move(message));
    default:
      return Status::Internal(std::move(message));
  }
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    Status status = SqliteStatus(rc, db, path, "opening");
    sqlite3_close_v2(db);
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  // WAL readers and the writer do not block each other; this only covers short moments such as a
  // reader opening while the writer checkpoints.
  sqlite3_busy_timeout(db, 5000);
  return std::unique_ptr<SqliteConnection>(new SqliteConnection(db, path));
}

SqliteConnection::~SqliteConnection() { sqlite3_close_v2(db_); }

Status SqliteConnection::Exec(const char* sql, std::string_view what) {
  return Error(sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), what);
}

Result<SqliteStatement> SqliteConnection::Prepare(const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return Error(rc, std::string("preparing \"") + sql + "\"");
  return SqliteStatement(stmt);
}

namespace {

// Runs a query that must return at least one row and hands that row to `read`.
template <typename T, typename Read>
Result<T> QueryRow(const SqliteConnection& conn, const char* sql, std::string_view what, Read read) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(conn.db(), sql, -1, &raw, nullptr);
  SqliteStatement stmt(raw);
  if (rc == SQLITE_OK) rc = sqlite3_step(raw);
  if (rc == SQLITE_DONE) return Status::Internal("sqlite store " + conn.path() + ": " + std::string(what) + ": no row");
  if (rc != SQLITE_ROW) return conn.Error(rc, what);
  return read(stmt);
}

}  // namespace

Result<int64_t> SqliteConnection::QueryInt(const char* sql, std::string_view what) {
  return QueryRow<int64_t>(*this, sql, what, [](const SqliteStatement& s) { return s.ColumnInt64(0); });
}

Result<std::string> SqliteConnection::QueryText(const char* sql, std::string_view what) {
  return QueryRow<std::string>(*this, sql, what, [](const SqliteStatement& s) { return std::string(s.ColumnBytes(0)); });
}

}  // namespace cloudstate
