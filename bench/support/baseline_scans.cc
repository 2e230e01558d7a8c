#include "support/baseline_scans.h"

#include <leveldb/db.h>
#include <sqlite3.h>

#include <cstdlib>
#include <iostream>
#include <memory>

namespace cloudstate::bench {
namespace {

// The store's event tag and table (docs/formats/); a mismatch shows as a count check failure.
constexpr char kLevelDbEventTag = 0x01;
constexpr char kSqliteScan[] = "SELECT seq, type_url, payload FROM events";

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "benchmark aborted: " << what << std::endl;
  std::exit(1);
}

std::unique_ptr<leveldb::DB> OpenLevelDb(const std::string& dir) {
  leveldb::Options options;
  leveldb::DB* db = nullptr;
  leveldb::Status s = leveldb::DB::Open(options, dir, &db);
  if (!s.ok()) Die("opening " + dir + " with leveldb: " + s.ToString());
  return std::unique_ptr<leveldb::DB>(db);
}

}  // namespace

EventFold ScanLevelDb(const std::string& dir) {
  std::unique_ptr<leveldb::DB> db = OpenLevelDb(dir);
  leveldb::ReadOptions options;
  options.verify_checksums = true;  // as the store reads a replay
  options.fill_cache = false;
  std::unique_ptr<leveldb::Iterator> it(db->NewIterator(options));
  EventFold fold;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    leveldb::Slice key = it->key();
    if (key.empty() || key[0] != kLevelDbEventTag) continue;
    ++fold.events;
    fold.bytes += it->value().size();
  }
  if (!it->status().ok()) Die("scanning " + dir + ": " + it->status().ToString());
  return fold;
}

EventFold ScanSqlite(const std::string& file) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    Die("opening " + file + ": " + sqlite3_errmsg(db));
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, kSqliteScan, -1, &stmt, nullptr) != SQLITE_OK) {
    Die("preparing the scan of " + file + ": " + sqlite3_errmsg(db));
  }
  EventFold fold;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    ++fold.events;
    sqlite3_column_int64(stmt, 0);
    sqlite3_column_text(stmt, 1);
    sqlite3_column_blob(stmt, 2);
    fold.bytes += static_cast<uint64_t>(sqlite3_column_bytes(stmt, 1) + sqlite3_column_bytes(stmt, 2));
  }
  if (rc != SQLITE_DONE) Die("scanning " + file + ": " + sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return fold;
}

EventFold ScanVector(const std::vector<google::protobuf::Any>& events) {
  EventFold fold;
  for (const auto& event : events) fold.Apply(event);
  return fold;
}

void CompactLevelDb(const std::string& dir) { OpenLevelDb(dir)->CompactRange(nullptr, nullptr); }

}  // namespace cloudstate::bench
