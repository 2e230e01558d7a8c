#include "stores/leveldb_schema.h"

#include <leveldb/write_batch.h>

#include <algorithm>
#include <memory>

#include "cloudstate/store.h"
#include "stores/entity_key_text.h"
#include "stores/leveldb_format.h"

namespace cloudstate {
namespace {

namespace fmt = leveldb_format;

const leveldb::Slice kFormatKey(fmt::kFormatKey.data(), fmt::kFormatKey.size());

bool HasTag(const leveldb::Iterator& it, char tag) {
  return it.Valid() && !it.key().empty() && it.key()[0] == tag;
}

leveldb::WriteOptions Synced() {
  leveldb::WriteOptions options;
  options.sync = true;
  return options;
}

// Version 1 had no feed. Builds it from every stored event, in key order (persistence id, entity
// id, sequence: deterministic, though not the order the events were committed in, which v1 did not
// record), and writes it with the new format record in one batch: a crash leaves version 1 intact.
Status AddFeed(leveldb::DB& db, const std::string& path) {
  leveldb::ReadOptions options = CheckedReads();
  options.fill_cache = false;
  std::unique_ptr<leveldb::Iterator> it(db.NewIterator(options));
  leveldb::WriteBatch batch;
  EntityKey entity;
  int64_t sequence = 0, offset = 0;
  std::string key, record;
  for (it->Seek(std::string(1, fmt::kEventTag)); HasTag(*it, fmt::kEventTag); it->Next()) {
    if (!fmt::ParseEventKey(std::string_view(it->key().data(), it->key().size()), &entity, &sequence)) {
      return Status::Corruption("leveldb store " + path + ": malformed event key while adding the event feed");
    }
    fmt::FeedPrefix(entity.persistence_id, &key);
    fmt::AppendSequence(++offset, &key);
    fmt::EncodeFeedEntry(entity.entity_id, sequence, &record);
    batch.Put(key, record);
  }
  if (!it->status().ok()) return FromLevelDb(it->status(), path, "reading events to add the event feed");
  batch.Put(kFormatKey, fmt::FormatRecord(2));
  return FromLevelDb(db.Write(Synced(), &batch), path, "upgrading to format version 2");
}

}  // namespace

Status FromLevelDb(const leveldb::Status& status, const std::string& path, std::string_view what) {
  if (status.ok()) return Status::Ok();
  std::string message = "leveldb store " + path + ": " + std::string(what) + ": " + status.ToString();
  if (status.IsIOError()) return Status::Unavailable(std::move(message));
  return Status::Corruption(std::move(message));
}

leveldb::ReadOptions CheckedReads() {
  leveldb::ReadOptions options;
  options.verify_checksums = true;
  return options;
}

Status PrepareLevelDbFormat(leveldb::DB& db, const std::string& path) {
  const std::string where = "leveldb store " + path + ": ";
  std::string record;
  leveldb::Status s = db.Get(CheckedReads(), kFormatKey, &record);
  if (s.IsNotFound()) {
    std::unique_ptr<leveldb::Iterator> it(db.NewIterator(CheckedReads()));
    it->SeekToFirst();
    if (it->Valid()) {
      return Status::Corruption(where + "the database holds data but no cloudstate format record: not a cloudstate store");
    }
    if (!it->status().ok()) return FromLevelDb(it->status(), path, "reading the database");
    return FromLevelDb(db.Put(Synced(), kFormatKey, fmt::FormatRecord(fmt::kFormatVersion)), path,
                       "writing the format record");
  }
  if (!s.ok()) return FromLevelDb(s, path, "reading the format record");
  int64_t version = fmt::ParseFormatRecord(record);
  if (version > fmt::kFormatVersion) {
    return Status::Corruption(where + "the database has store format version " + std::to_string(version) +
                              ", newer than version " + std::to_string(fmt::kFormatVersion) +
                              " that this build reads; open it with a newer release");
  }
  if (version < 1) {
    std::string shown;
    AppendPrintable(shown, record.substr(0, 64));
    return Status::Corruption(where + "unknown store format record '" + shown + "'");
  }
  if (version == 1) return AddFeed(db, path);
  return Status::Ok();
}

Result<int64_t> LastFeedOffset(leveldb::DB& db, const std::string& path) {
  // A skip scan: one seek to the end of each persistence id's feed, so opening does not read the
  // whole feed. Every feed key is its prefix plus 8 offset bytes, so prefix + 0xff * 8 sorts after
  // all of that feed's keys and before the next feed's.
  std::unique_ptr<leveldb::Iterator> it(db.NewIterator(CheckedReads()));
  int64_t last = 0;
  std::string limit;
  it->Seek(std::string(1, fmt::kFeedTag));
  while (HasTag(*it, fmt::kFeedTag)) {
    std::string_view first(it->key().data(), it->key().size());
    size_t prefix_size = fmt::FeedPrefixSize(first);
    if (prefix_size == 0) return Status::Corruption("leveldb store " + path + ": malformed event feed key");
    limit.assign(first.data(), prefix_size);
    limit.append(fmt::kSequenceBytes, '\xff');
    it->Seek(limit);
    if (it->Valid()) {
      it->Prev();
    } else {
      it->SeekToLast();
    }
    if (!it->Valid()) break;
    last = std::max(last, fmt::DecodeSequence(it->key().data() + prefix_size));
    it->Seek(limit);
  }
  if (!it->status().ok()) return FromLevelDb(it->status(), path, "reading the event feed");
  return last;
}

}  // namespace cloudstate
