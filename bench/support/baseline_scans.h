// Replay baselines: the same events read without any of our code in between, straight from the
// storage library (or from a vector in memory), folded the same way as a replay folds them.
#pragma once

#include <string>
#include <vector>

#include <google/protobuf/any.pb.h>

#include "support/bench_counter.h"

namespace cloudstate::bench {

// A leveldb::Iterator over the whole database directory (the store must be closed), with the read
// options the store uses for a replay; counts the event records (tag byte 0x01).
EventFold ScanLevelDb(const std::string& dir);

// A plain SELECT over the whole events table of a closed SQLite store file.
EventFold ScanSqlite(const std::string& file);

// A sequential read of events held in memory.
EventFold ScanVector(const std::vector<google::protobuf::Any>& events);

// Brings a freshly written LevelDB database to its compacted steady state, so that replays are not
// timed against a background compaction (untimed setup).
void CompactLevelDb(const std::string& dir);

}  // namespace cloudstate::bench
