// Thin RAII over the sqlite3 C API for the SQLite store: a connection, prepared statements, and how
// SQLite result codes become a Status that names the store file.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "cloudstate/status.h"

namespace cloudstate {

// A damaged file or one that is not a database → Corruption; busy, locked, I/O errors and a full
// disk → Unavailable; anything else means we misused SQLite → Internal.
Status SqliteStatus(int rc, sqlite3* db, const std::string& path, std::string_view what);

class SqliteStatement {
 public:
  SqliteStatement() = default;
  explicit SqliteStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~SqliteStatement() { sqlite3_finalize(stmt_); }
  SqliteStatement(SqliteStatement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  SqliteStatement& operator=(SqliteStatement&& other) noexcept {
    std::swap(stmt_, other.stmt_);
    return *this;
  }

  sqlite3_stmt* get() const { return stmt_; }

  // Binds bytes as a BLOB; empty bytes bind an empty BLOB, never NULL. The bytes must stay alive
  // until the statement is reset.
  void BindBlob(int index, std::string_view bytes) {
    static constexpr char kEmpty = 0;
    sqlite3_bind_blob(stmt_, index, bytes.empty() ? &kEmpty : bytes.data(), static_cast<int>(bytes.size()),
                      SQLITE_STATIC);
  }
  void BindText(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.empty() ? "" : text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  }
  void BindInt64(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  void BindNull(int index) { sqlite3_bind_null(stmt_, index); }

  int64_t ColumnInt64(int index) const { return sqlite3_column_int64(stmt_, index); }
  bool ColumnIsNull(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }
  // Valid until the next step or reset.
  std::string_view ColumnBytes(int index) const {
    const void* data = sqlite3_column_blob(stmt_, index);
    int size = sqlite3_column_bytes(stmt_, index);
    return data == nullptr ? std::string_view() : std::string_view(static_cast<const char*>(data), size);
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a statement when its use ends, so it holds no read transaction once the caller is done.
class StatementScope {
 public:
  explicit StatementScope(SqliteStatement& statement) : stmt_(statement.get()) {}
  ~StatementScope() { sqlite3_reset(stmt_); }
  StatementScope(const StatementScope&) = delete;
  StatementScope& operator=(const StatementScope&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

// One connection, used by one thread at a time (opened with SQLITE_OPEN_NOMUTEX).
class SqliteConnection {
 public:
  // Opens the database file, creating an empty one when missing.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path);
  ~SqliteConnection();

  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  sqlite3* db() const { return db_; }
  const std::string& path() const { return path_; }

  Status Exec(const char* sql, std::string_view what);
  Result<SqliteStatement> Prepare(const char* sql);
  // Runs a query returning one row with one integer column (PRAGMA user_version, count(*), ...).
  Result<int64_t> QueryInt(const char* sql, std::string_view what);
  // Runs a query returning one row with one text column (PRAGMA journal_mode=WAL, ...).
  Result<std::string> QueryText(const char* sql, std::string_view what);
  Status Error(int rc, std::string_view what) const { return SqliteStatus(rc, db_, path_, what); }

 private:
  SqliteConnection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

}  // namespace cloudstate
