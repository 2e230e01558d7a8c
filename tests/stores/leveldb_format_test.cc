// The LevelDB store's key and value encoding: keys of different entities never share a prefix,
// one entity's events sort by sequence, and malformed records are rejected rather than misread.
#include "stores/leveldb_format.h"

#include <doctest/doctest.h>

#include <algorithm>

namespace cloudstate::leveldb_format {
namespace {

using namespace std::string_literals;

const std::vector<EntityKey> kTrickyKeys = {
    {"p", "a"},     {"p", "ab"},   {"pa", "b"},   {"p", "a\0"s},  {"p", "a\0b"s}, {"p\0a"s, "b"},
    {"", ""},       {"", "p"},     {"p", ""},     {"\xff", "\xff"}, {"p", std::string(127, 'x')},
    {"p", std::string(128, 'x')}, {"p", std::string(300, 'x')}, {std::string(200, 'p'), "a"},
};

std::string Prefix(char tag, const EntityKey& key) {
  std::string prefix;
  EntityPrefix(tag, key, &prefix);
  return prefix;
}

TEST_CASE("no entity's key prefix is a prefix of another's") {
  for (const auto& a : kTrickyKeys) {
    for (const auto& b : kTrickyKeys) {
      if (a == b) continue;
      std::string pa = Prefix(kEventTag, a), pb = Prefix(kEventTag, b);
      CHECK_FALSE(pb.compare(0, pa.size(), pa) == 0);
    }
  }
}

TEST_CASE("event keys group by entity and sort by sequence") {
  const std::vector<int64_t> sequences = {1, 2, 127, 128, 255, 256, 65536, int64_t{1} << 40, INT64_MAX};
  std::vector<std::pair<std::string, std::pair<size_t, int64_t>>> keys;
  for (size_t k = 0; k < kTrickyKeys.size(); ++k) {
    for (int64_t sequence : sequences) {
      std::string key = Prefix(kEventTag, kTrickyKeys[k]);
      AppendSequence(sequence, &key);
      CHECK(DecodeSequence(key.data() + key.size() - kSequenceBytes) == sequence);
      keys.push_back({key, {k, sequence}});
    }
  }
  std::sort(keys.begin(), keys.end());
  for (size_t i = 0; i < keys.size(); i += sequences.size()) {
    for (size_t j = 0; j < sequences.size(); ++j) {
      CHECK(keys[i + j].second.first == keys[i].second.first);  // contiguous per entity
      CHECK(keys[i + j].second.second == sequences[j]);          // in sequence order
    }
  }
}

TEST_CASE("records round-trip and malformed ones are rejected") {
  google::protobuf::Any any;
  any.set_type_url("type.googleapis.com/x");
  any.set_value("\0bytes\xff"s);
  std::string record;

  EncodeAny(any, &record);
  google::protobuf::Any decoded;
  REQUIRE(DecodeAny(record, &decoded));
  CHECK(decoded.type_url() == any.type_url());
  CHECK(decoded.value() == any.value());
  CHECK_FALSE(DecodeAny("", &decoded));
  CHECK_FALSE(DecodeAny("\x05" "ab", &decoded));  // type URL longer than the record
  CHECK_FALSE(DecodeAny("\x80", &decoded));       // truncated varint

  EncodeSnapshot(300, any, &record);
  Snapshot snapshot;
  REQUIRE(DecodeSnapshot(record, &snapshot));
  CHECK(snapshot.sequence == 300);
  CHECK(snapshot.state.value() == any.value());
  CHECK_FALSE(DecodeSnapshot(record.substr(0, 1), &snapshot));

  VersionedValue value;
  EncodeValue(7, &any, &record);
  REQUIRE(DecodeValue(record, &value));
  CHECK(value.version == 7);
  REQUIRE(value.value.has_value());
  CHECK(value.value->type_url() == any.type_url());
  EncodeValue(8, nullptr, &record);
  REQUIRE(DecodeValue(record, &value));
  CHECK(value.version == 8);
  CHECK_FALSE(value.value.has_value());
  CHECK_FALSE(DecodeValue(record + "x", &value));  // a deleted value has nothing after it
  CHECK_FALSE(DecodeValue("\x08\x02", &value));     // unknown presence byte
  CHECK_FALSE(DecodeValue("\x08", &value));

  google::protobuf::Any empty;
  EncodeValue(1, &empty, &record);
  REQUIRE(DecodeValue(record, &value));
  CHECK(value.value.has_value());
}

TEST_CASE("feed keys group by persistence id and sort by offset") {
  const std::vector<int64_t> offsets = {1, 2, 255, 256, int64_t{1} << 40, INT64_MAX};
  std::vector<std::pair<std::string, std::pair<std::string, int64_t>>> keys;
  for (const auto& entity : kTrickyKeys) {
    std::string prefix;
    FeedPrefix(entity.persistence_id, &prefix);
    for (const auto& other : kTrickyKeys) {
      std::string other_prefix;
      FeedPrefix(other.persistence_id, &other_prefix);
      if (other.persistence_id == entity.persistence_id) continue;
      CHECK_FALSE(other_prefix.compare(0, prefix.size(), prefix) == 0);
    }
    if (std::any_of(keys.begin(), keys.end(), [&](const auto& k) { return k.second.first == entity.persistence_id; })) {
      continue;  // one set of keys per persistence id
    }
    for (int64_t offset : offsets) {
      std::string key = prefix;
      AppendSequence(offset, &key);
      CHECK(FeedPrefixSize(key) == prefix.size());
      keys.push_back({key, {entity.persistence_id, offset}});
    }
  }
  std::sort(keys.begin(), keys.end());
  for (size_t i = 0; i < keys.size(); i += offsets.size()) {
    for (size_t j = 0; j < offsets.size(); ++j) {
      CHECK(keys[i + j].second.first == keys[i].second.first);  // contiguous per persistence id
      CHECK(keys[i + j].second.second == offsets[j]);           // in offset order
    }
  }
  // Not feed keys: another tag, a missing or partial offset, a truncated length.
  std::string event = Prefix(kEventTag, {"p", "a"});
  AppendSequence(1, &event);
  CHECK(FeedPrefixSize(event) == 0);
  std::string feed;
  FeedPrefix("p", &feed);
  CHECK(FeedPrefixSize(feed) == 0);
  CHECK(FeedPrefixSize(feed + "1234567") == 0);
  CHECK(FeedPrefixSize("p") == 0);
  CHECK(FeedPrefixSize("") == 0);
}

TEST_CASE("event keys parse back into their entity and sequence") {
  for (const auto& entity : kTrickyKeys) {
    std::string key = Prefix(kEventTag, entity);
    AppendSequence(300, &key);
    EntityKey parsed;
    int64_t sequence = 0;
    REQUIRE(ParseEventKey(key, &parsed, &sequence));
    CHECK(parsed == entity);
    CHECK(sequence == 300);
    CHECK_FALSE(ParseEventKey(key.substr(0, key.size() - 1), &parsed, &sequence));
    CHECK_FALSE(ParseEventKey(Prefix(kSnapshotTag, entity) + key.substr(key.size() - 8), &parsed, &sequence));
  }
}

TEST_CASE("feed entries round-trip and malformed ones are rejected") {
  std::string record, entity_id;
  int64_t sequence = 0;
  for (const auto& entity : kTrickyKeys) {
    EncodeFeedEntry(entity.entity_id, 1 + (int64_t{1} << 35), &record);
    REQUIRE(DecodeFeedEntry(record, &entity_id, &sequence));
    CHECK(entity_id == entity.entity_id);
    CHECK(sequence == 1 + (int64_t{1} << 35));
    CHECK_FALSE(DecodeFeedEntry(record + "x", &entity_id, &sequence));
    CHECK_FALSE(DecodeFeedEntry(record.substr(0, record.size() - 1), &entity_id, &sequence));
  }
  CHECK_FALSE(DecodeFeedEntry("", &entity_id, &sequence));
}

TEST_CASE("format records name their version") {
  CHECK(FormatRecord(1) == "cloudstate-leveldb-store/1");
  CHECK(ParseFormatRecord(FormatRecord(1)) == 1);
  CHECK(ParseFormatRecord("cloudstate-leveldb-store/12") == 12);
  CHECK(ParseFormatRecord("cloudstate-leveldb-store/") == -1);
  CHECK(ParseFormatRecord("cloudstate-leveldb-store/1x") == -1);
  CHECK(ParseFormatRecord("cloudstate-leveldb-store/-1") == -1);
  CHECK(ParseFormatRecord("other/1") == -1);
}

}  // namespace
}  // namespace cloudstate::leveldb_format
