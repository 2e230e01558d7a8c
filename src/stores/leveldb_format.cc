#include "stores/leveldb_format.h"

#include <charconv>

namespace cloudstate::leveldb_format {
namespace {

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && !in->empty(); shift += 7) {
    auto byte = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (byte < 0x80) {
      *v = result;
      return true;
    }
  }
  return false;
}

void PutLengthPrefixed(std::string_view bytes, std::string* out) {
  PutVarint(bytes.size(), out);
  out->append(bytes.data(), bytes.size());
}

bool GetLengthPrefixed(std::string_view* in, std::string_view* bytes) {
  uint64_t size;
  if (!GetVarint(in, &size) || size > in->size()) return false;
  *bytes = in->substr(0, size);
  in->remove_prefix(size);
  return true;
}

bool DecodeAnyRest(std::string_view in, google::protobuf::Any* any) {
  std::string_view type_url;
  if (!GetLengthPrefixed(&in, &type_url)) return false;
  any->mutable_type_url()->assign(type_url.data(), type_url.size());
  any->mutable_value()->assign(in.data(), in.size());
  return true;
}

}  // namespace

void EntityPrefix(char tag, const EntityKey& key, std::string* out) {
  out->clear();
  out->push_back(tag);
  PutLengthPrefixed(key.persistence_id, out);
  PutLengthPrefixed(key.entity_id, out);
}

void AppendSequence(int64_t sequence, std::string* out) {
  auto v = static_cast<uint64_t>(sequence);
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

int64_t DecodeSequence(const char* bytes) {
  uint64_t v = 0;
  for (size_t i = 0; i < kSequenceBytes; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  return static_cast<int64_t>(v);
}

bool ParseEventKey(std::string_view key, EntityKey* entity, int64_t* sequence) {
  if (key.empty() || key.front() != kEventTag) return false;
  key.remove_prefix(1);
  std::string_view persistence_id, entity_id;
  if (!GetLengthPrefixed(&key, &persistence_id) || !GetLengthPrefixed(&key, &entity_id)) return false;
  if (key.size() != kSequenceBytes) return false;
  entity->persistence_id.assign(persistence_id.data(), persistence_id.size());
  entity->entity_id.assign(entity_id.data(), entity_id.size());
  *sequence = DecodeSequence(key.data());
  return true;
}

void FeedPrefix(std::string_view persistence_id, std::string* out) {
  out->clear();
  out->push_back(kFeedTag);
  PutLengthPrefixed(persistence_id, out);
}

size_t FeedPrefixSize(std::string_view key) {
  std::string_view rest = key;
  std::string_view persistence_id;
  if (rest.empty() || rest.front() != kFeedTag) return 0;
  rest.remove_prefix(1);
  if (!GetLengthPrefixed(&rest, &persistence_id) || rest.size() != kSequenceBytes) return 0;
  return key.size() - kSequenceBytes;
}

void EncodeFeedEntry(std::string_view entity_id, int64_t sequence, std::string* out) {
  out->clear();
  PutLengthPrefixed(entity_id, out);
  PutVarint(static_cast<uint64_t>(sequence), out);
}

bool DecodeFeedEntry(std::string_view bytes, std::string* entity_id, int64_t* sequence) {
  std::string_view id;
  uint64_t value;
  if (!GetLengthPrefixed(&bytes, &id) || !GetVarint(&bytes, &value) || !bytes.empty()) return false;
  entity_id->assign(id.data(), id.size());
  *sequence = static_cast<int64_t>(value);
  return true;
}

void EncodeAny(const google::protobuf::Any& any, std::string* out) {
  out->clear();
  PutLengthPrefixed(any.type_url(), out);
  out->append(any.value());
}

bool DecodeAny(std::string_view bytes, google::protobuf::Any* any) { return DecodeAnyRest(bytes, any); }

void EncodeSnapshot(int64_t sequence, const google::protobuf::Any& state, std::string* out) {
  out->clear();
  PutVarint(static_cast<uint64_t>(sequence), out);
  PutLengthPrefixed(state.type_url(), out);
  out->append(state.value());
}

bool DecodeSnapshot(std::string_view bytes, Snapshot* snapshot) {
  uint64_t sequence;
  if (!GetVarint(&bytes, &sequence)) return false;
  snapshot->sequence = static_cast<int64_t>(sequence);
  return DecodeAnyRest(bytes, &snapshot->state);
}

void EncodeValue(int64_t version, const google::protobuf::Any* value, std::string* out) {
  out->clear();
  PutVarint(static_cast<uint64_t>(version), out);
  out->push_back(value != nullptr ? 1 : 0);
  if (value == nullptr) return;
  PutLengthPrefixed(value->type_url(), out);
  out->append(value->value());
}

bool DecodeValue(std::string_view bytes, VersionedValue* value) {
  uint64_t version;
  if (!GetVarint(&bytes, &version) || bytes.empty()) return false;
  value->version = static_cast<int64_t>(version);
  char present = bytes.front();
  bytes.remove_prefix(1);
  if (present == 0) {
    value->value.reset();
    return bytes.empty();
  }
  if (present != 1) return false;
  return DecodeAnyRest(bytes, &value->value.emplace());
}

std::string FormatRecord(int64_t version) { return std::string(kFormatPrefix) + std::to_string(version); }

int64_t ParseFormatRecord(std::string_view record) {
  if (record.substr(0, kFormatPrefix.size()) != kFormatPrefix) return -1;
  std::string_view digits = record.substr(kFormatPrefix.size());
  int64_t version = -1;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
  if (error != std::errc() || end != digits.data() + digits.size() || version < 0) return -1;
  return version;
}

}  // namespace cloudstate::leveldb_format
