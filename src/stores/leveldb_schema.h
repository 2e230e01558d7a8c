// The LevelDB store's format record (docs/formats/leveldb-store.md): written into an empty
// database, checked in an existing one, and older versions upgraded in place on open. Also the
// status mapping and read options every part of the store shares.
#pragma once

#include <leveldb/db.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "cloudstate/status.h"

namespace cloudstate {

// LevelDB's I/O errors are retryable; anything that says the files are damaged or not what they
// should be is Corruption. The message names the store directory.
Status FromLevelDb(const leveldb::Status& status, const std::string& path, std::string_view what);

// Reads verify block checksums.
leveldb::ReadOptions CheckedReads();

// Writes the format record into an empty database; checks it in an existing one (Corruption when
// it is not a store of a format this build reads); upgrades a version-1 store to the current format.
Status PrepareLevelDbFormat(leveldb::DB& db, const std::string& path);

// The highest feed offset in the store, 0 when there is none: where the writer's counter resumes.
Result<int64_t> LastFeedOffset(leveldb::DB& db, const std::string& path);

}  // namespace cloudstate
