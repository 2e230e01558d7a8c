#include "stores/sqlite_session.h"

#include <string>
#include <utility>

#include "stores/sqlite_schema.h"

namespace cloudstate {
namespace {

Status Prepare(SqliteConnection& conn, SqliteStatement& statement, const char* sql) {
  Result<SqliteStatement> prepared = conn.Prepare(sql);
  if (!prepared.ok()) return prepared.status();
  statement = std::move(*prepared);
  return Status::Ok();
}

Status PrepareStatements(Session& s, bool writer) {
  SqliteConnection& c = *s.conn;
  const char* kByKey = " WHERE persistence_id = ?1 AND entity_id = ?2";
  std::string highest = std::string("SELECT seq FROM events") + kByKey + " ORDER BY seq DESC LIMIT 1";
  std::string events = std::string("SELECT seq, type_url, payload FROM events") + kByKey + " AND seq >= ?3 ORDER BY seq";
  std::string snapshot = std::string("SELECT seq, type_url, payload FROM snapshots") + kByKey;
  std::string value = std::string("SELECT version, type_url, payload FROM entity_values") + kByKey;
  // The feed drives the join (LEFT JOIN keeps it outer), so rows come in offset order from its
  // primary key with no sort; a missing event shows as a NULL type_url instead of a silent gap.
  const char* feed =
      "SELECT f.feed_offset, f.entity_id, f.seq, e.type_url, e.payload FROM event_feed AS f "
      "LEFT JOIN events AS e ON e.persistence_id = f.persistence_id AND e.entity_id = f.entity_id AND e.seq = f.seq "
      "WHERE f.persistence_id = ?1 AND f.feed_offset > ?2 ORDER BY f.feed_offset";
  std::string version = std::string("SELECT version FROM entity_values") + kByKey;
  for (auto [statement, sql] : {std::pair{&s.highest, highest.c_str()}, {&s.read_events, events.c_str()},
                                {&s.read_feed, feed}, {&s.load_snapshot, snapshot.c_str()},
                                {&s.read_value, value.c_str()}}) {
    if (Status status = Prepare(c, *statement, sql); !status.ok()) return status;
  }
  if (!writer) return Status::Ok();
  const std::pair<SqliteStatement*, const char*> writes[] = {
      {&s.begin, "BEGIN IMMEDIATE"},
      {&s.commit, "COMMIT"},
      {&s.rollback, "ROLLBACK"},
      {&s.value_version, version.c_str()},
      {&s.insert_event,
       "INSERT INTO events (persistence_id, entity_id, seq, type_url, payload) VALUES (?1, ?2, ?3, ?4, ?5)"},
      {&s.insert_feed, "INSERT INTO event_feed (persistence_id, feed_offset, entity_id, seq) VALUES (?1, ?2, ?3, ?4)"},
      {&s.put_snapshot,
       "INSERT OR REPLACE INTO snapshots (persistence_id, entity_id, seq, type_url, payload) VALUES (?1, ?2, ?3, ?4, ?5)"},
      {&s.put_value,
       "INSERT OR REPLACE INTO entity_values (persistence_id, entity_id, version, type_url, payload) "
       "VALUES (?1, ?2, ?3, ?4, ?5)"},
  };
  for (auto [statement, sql] : writes) {
    if (Status status = Prepare(c, *statement, sql); !status.ok()) return status;
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Session>> OpenSession(const std::string& path, bool writer, Durability durability) {
  auto session = std::make_unique<Session>();
  Result<std::unique_ptr<SqliteConnection>> conn = SqliteConnection::Open(path);
  if (!conn.ok()) return conn.status();
  session->conn = std::move(*conn);
  SqliteConnection& c = *session->conn;
  if (writer) {
    if (Status status = PrepareSqliteSchema(c); !status.ok()) return status;
    Result<std::string> mode = c.QueryText("PRAGMA journal_mode = WAL", "switching to WAL mode");
    if (!mode.ok()) return mode.status();
    if (*mode != "wal") {
      return Status::Unavailable("sqlite store " + path + ": cannot use WAL mode (journal mode stays '" + *mode + "')");
    }
    // In WAL mode FULL syncs the log on every commit; NORMAL only at checkpoints, which still
    // survives a process crash.
    const char* sync = durability == Durability::kSync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
    if (Status status = c.Exec(sync, "setting the sync policy"); !status.ok()) return status;
  } else if (Status status = c.Exec("PRAGMA query_only = 1", "opening a reader"); !status.ok()) {
    return status;
  }
  if (Status status = PrepareStatements(*session, writer); !status.ok()) return status;
  return session;
}

}  // namespace cloudstate
