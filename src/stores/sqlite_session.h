// The SQLite store's connections: each one with the statements the store runs on it, prepared once.
// The writer's connection also checks (or creates, or upgrades) the file's format.
#pragma once

#include <memory>
#include <string>

#include "cloudstate/status.h"
#include "cloudstate/store_registry.h"
#include "stores/sqlite_connection.h"

namespace cloudstate {

// A connection and the statements the store runs on it. Writer statements are prepared on the
// writer's connection only.
struct Session {
  std::unique_ptr<SqliteConnection> conn;  // declared first: statements are finalized before it closes
  SqliteStatement highest, read_events, read_feed, load_snapshot, read_value;
  SqliteStatement begin, commit, rollback, value_version, insert_event, insert_feed, put_snapshot, put_value;
};

// Opens a connection to an existing store file. The writer's connection checks (or creates) the
// format and sets WAL mode and the sync policy first; readers only read and never write.
Result<std::unique_ptr<Session>> OpenSession(const std::string& path, bool writer, Durability durability);

}  // namespace cloudstate
