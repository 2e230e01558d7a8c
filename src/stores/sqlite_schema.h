// The SQLite store's on-disk format (docs/formats/sqlite-store.md): created in an empty file,
// checked in an existing one before anything else touches it.
#pragma once

#include <cstdint>

#include "cloudstate/status.h"
#include "stores/sqlite_connection.h"

namespace cloudstate {

// PRAGMA application_id of every store file: "ClSt".
inline constexpr int64_t kSqliteApplicationId = 0x436c5374;
// PRAGMA user_version: the format this build writes and the newest it reads.
inline constexpr int64_t kSqliteFormatVersion = 2;

// Creates the schema when the file is a new, empty database; otherwise checks that it is a store
// of a format this build reads (Corruption, naming the file, when it is not) and upgrades an
// older format in place.
Status PrepareSqliteSchema(SqliteConnection& conn);

// The highest offset in the event feed, 0 when it is empty: where the writer's counter resumes.
Result<int64_t> LastFeedOffset(SqliteConnection& conn);

}  // namespace cloudstate
