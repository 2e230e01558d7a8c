// The LevelDB store's keys and values (docs/formats/leveldb-store.md). Keys sort so that one
// entity's events are contiguous and in sequence order: a replay is one iterator scan.
//
//   key prefix  = tag byte, varint32 length + persistence id, varint32 length + entity id
//   event       = prefix(kEventTag) + 8-byte big-endian sequence -> varint32 length + type URL, payload
//   snapshot    = prefix(kSnapshotTag)                            -> varint64 sequence, type URL, payload
//   value       = prefix(kValueTag)                               -> varint64 version, presence byte[, type URL, payload]
//   feed        = feed prefix + 8-byte big-endian offset          -> varint32 length + entity id, varint64 sequence
//   feed prefix = kFeedTag, varint32 length + persistence id
//   format      = kFormatKey                                      -> "cloudstate-leveldb-store/<version>"
//
// Length prefixes make the prefix of one key never a prefix of another's, so ids that are prefixes
// of each other, or contain any byte, stay apart.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <google/protobuf/any.pb.h>

#include "cloudstate/store.h"

namespace cloudstate::leveldb_format {

inline constexpr char kEventTag = 0x01;
inline constexpr char kSnapshotTag = 0x02;
inline constexpr char kValueTag = 0x03;
// The feed of a persistence id: its events of every entity in offset order (version 2 on).
inline constexpr char kFeedTag = 0x04;
// Tag 0x00 is for store metadata.
inline constexpr std::string_view kFormatKey{"\x00" "format", 7};
inline constexpr std::string_view kFormatPrefix = "cloudstate-leveldb-store/";
// The format this build writes and the newest it reads.
inline constexpr int64_t kFormatVersion = 2;
// The bytes after an event key's prefix, and after a feed key's.
inline constexpr size_t kSequenceBytes = 8;

// Clears `out` and writes the key prefix of `key` under `tag`.
void EntityPrefix(char tag, const EntityKey& key, std::string* out);
// Appends the 8-byte big-endian sequence (or feed offset).
void AppendSequence(int64_t sequence, std::string* out);
int64_t DecodeSequence(const char* bytes);

// Splits an event key into its entity key and sequence; false when it is not one.
bool ParseEventKey(std::string_view key, EntityKey* entity, int64_t* sequence);

// Clears `out` and writes the feed prefix of `persistence_id`.
void FeedPrefix(std::string_view persistence_id, std::string* out);
// The length of a feed key's prefix (the key minus its offset), or 0 when it is not a feed key.
size_t FeedPrefixSize(std::string_view key);
void EncodeFeedEntry(std::string_view entity_id, int64_t sequence, std::string* out);
bool DecodeFeedEntry(std::string_view bytes, std::string* entity_id, int64_t* sequence);

void EncodeAny(const google::protobuf::Any& any, std::string* out);
// Fills `any` from the bytes EncodeAny wrote, reusing its strings' capacity; false when malformed.
bool DecodeAny(std::string_view bytes, google::protobuf::Any* any);

void EncodeSnapshot(int64_t sequence, const google::protobuf::Any& state, std::string* out);
bool DecodeSnapshot(std::string_view bytes, Snapshot* snapshot);

void EncodeValue(int64_t version, const google::protobuf::Any* value, std::string* out);
bool DecodeValue(std::string_view bytes, VersionedValue* value);

std::string FormatRecord(int64_t version);
// The version a format record names, or -1 when it is not one.
int64_t ParseFormatRecord(std::string_view record);

}  // namespace cloudstate::leveldb_format
