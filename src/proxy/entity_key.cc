#include "proxy/entity_key.h"

#include <google/protobuf/unknown_field_set.h>

#include <cstdint>
#include <cstring>

#include "cloudstate/entity_key.pb.h"
#include "cloudstate/legacy_entity_key.pb.h"

namespace cloudstate::proxy {
namespace {

using google::protobuf::FieldDescriptor;

constexpr int kEntityKeyOption = 1080;
constexpr int kLegacyEntityKeyOption = 50002;

// True when the options carry `number` as a true bool, parsed or (from a pool that did not know the
// extension) left among the unknown fields.
bool HasTrueOption(const google::protobuf::FieldOptions& options, int number) {
  const auto& unknown = options.unknown_fields();
  for (int i = 0; i < unknown.field_count(); ++i) {
    const auto& field = unknown.field(i);
    if (field.number() == number && field.type() == google::protobuf::UnknownField::TYPE_VARINT) {
      return field.varint() != 0;
    }
  }
  return false;
}

bool IsKeyField(const FieldDescriptor& field) {
  const auto& options = field.options();
  return options.GetExtension(cloudstate::entity_key) || options.GetExtension(cloudstate::legacy_entity_key) ||
         HasTrueOption(options, kEntityKeyOption) || HasTrueOption(options, kLegacyEntityKeyOption);
}

// A little-endian wire reader over the request bytes.
class WireReader {
 public:
  explicit WireReader(std::string_view bytes) : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}

  bool done() const { return p_ == end_; }

  bool Varint(uint64_t* value) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) return false;
      auto byte = static_cast<uint8_t>(*p_++);
      result |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        *value = result;
        return true;
      }
    }
    return false;
  }

  bool Fixed(int bytes, uint64_t* value) {
    if (end_ - p_ < bytes) return false;
    *value = 0;
    std::memcpy(value, p_, bytes);  // little-endian hosts only, as the rest of the build assumes
    p_ += bytes;
    return true;
  }

  bool Delimited(std::string_view* value) {
    uint64_t length;
    if (!Varint(&length) || length > static_cast<uint64_t>(end_ - p_)) return false;
    *value = std::string_view(p_, length);
    p_ += length;
    return true;
  }

 private:
  const char* p_;
  const char* end_;
};

// The text of a key value, as the reference renders it (Java's toString of the field value).
std::string KeyText(const FieldDescriptor& field, uint64_t raw) {
  switch (field.type()) {
    case FieldDescriptor::TYPE_BOOL: return raw != 0 ? "true" : "false";
    case FieldDescriptor::TYPE_INT32:
    case FieldDescriptor::TYPE_SFIXED32: return std::to_string(static_cast<int32_t>(raw));
    case FieldDescriptor::TYPE_SINT32: {
      auto n = static_cast<uint32_t>(raw);
      return std::to_string(static_cast<int32_t>((n >> 1) ^ (~(n & 1) + 1)));
    }
    case FieldDescriptor::TYPE_SINT64: return std::to_string(static_cast<int64_t>((raw >> 1) ^ (~(raw & 1) + 1)));
    case FieldDescriptor::TYPE_UINT32:
    case FieldDescriptor::TYPE_FIXED32: return std::to_string(static_cast<uint32_t>(raw));
    case FieldDescriptor::TYPE_UINT64:
    case FieldDescriptor::TYPE_FIXED64: return std::to_string(raw);
    case FieldDescriptor::TYPE_ENUM: {
      const auto* value = field.enum_type()->FindValueByNumber(static_cast<int32_t>(raw));
      return value != nullptr ? value->name() : std::to_string(static_cast<int32_t>(raw));
    }
    default: return std::to_string(static_cast<int64_t>(raw));  // int64, sfixed64
  }
}

// The wire type a singular field of this type is written with.
int ExpectedWireType(const FieldDescriptor& field) {
  switch (field.type()) {
    case FieldDescriptor::TYPE_STRING: return 2;
    case FieldDescriptor::TYPE_FIXED64:
    case FieldDescriptor::TYPE_SFIXED64: return 1;
    case FieldDescriptor::TYPE_FIXED32:
    case FieldDescriptor::TYPE_SFIXED32: return 5;
    default: return 0;
  }
}

std::string DefaultText(const FieldDescriptor& field) {
  if (field.type() == FieldDescriptor::TYPE_STRING) return "";
  return KeyText(field, 0);
}

}  // namespace

std::vector<const FieldDescriptor*> KeyFields(const google::protobuf::Descriptor& message) {
  std::vector<const FieldDescriptor*> keys;
  for (int i = 0; i < message.field_count(); ++i) {
    if (IsKeyField(*message.field(i))) keys.push_back(message.field(i));
  }
  return keys;
}

bool IsSupportedKeyField(const FieldDescriptor& field) {
  if (field.is_repeated()) return false;
  switch (field.type()) {
    case FieldDescriptor::TYPE_STRING:
    case FieldDescriptor::TYPE_BOOL:
    case FieldDescriptor::TYPE_ENUM:
    case FieldDescriptor::TYPE_INT32:
    case FieldDescriptor::TYPE_INT64:
    case FieldDescriptor::TYPE_UINT32:
    case FieldDescriptor::TYPE_UINT64:
    case FieldDescriptor::TYPE_SINT32:
    case FieldDescriptor::TYPE_SINT64:
    case FieldDescriptor::TYPE_FIXED32:
    case FieldDescriptor::TYPE_FIXED64:
    case FieldDescriptor::TYPE_SFIXED32:
    case FieldDescriptor::TYPE_SFIXED64: return true;
    default: return false;
  }
}

Result<std::string> ExtractEntityId(std::string_view request, const std::vector<const FieldDescriptor*>& key_fields) {
  std::vector<std::string> values;
  values.reserve(key_fields.size());
  for (const auto* field : key_fields) values.push_back(DefaultText(*field));

  WireReader reader(request);
  while (!reader.done()) {
    uint64_t tag;
    if (!reader.Varint(&tag) || (tag >> 3) == 0) return Status::InvalidArgument("malformed request: bad field tag");
    const auto number = static_cast<int>(tag >> 3);
    const int wire_type = static_cast<int>(tag & 7);
    size_t slot = 0;
    while (slot < key_fields.size() && key_fields[slot]->number() != number) ++slot;

    uint64_t raw = 0;
    std::string_view bytes;
    bool ok;
    switch (wire_type) {
      case 0: ok = reader.Varint(&raw); break;
      case 1: ok = reader.Fixed(8, &raw); break;
      case 2: ok = reader.Delimited(&bytes); break;
      case 5: ok = reader.Fixed(4, &raw); break;
      default: return Status::InvalidArgument("malformed request: unsupported wire type " + std::to_string(wire_type));
    }
    if (!ok) return Status::InvalidArgument("malformed request: truncated field " + std::to_string(number));
    if (slot == key_fields.size()) continue;
    if (wire_type != ExpectedWireType(*key_fields[slot])) {
      return Status::InvalidArgument("malformed request: key field " + key_fields[slot]->name() +
                                     " has the wrong wire type");
    }
    // The last occurrence wins, as when parsing.
    values[slot] = wire_type == 2 ? std::string(bytes) : KeyText(*key_fields[slot], raw);
  }

  std::string id;
  for (size_t i = 0; i < values.size(); ++i) id += (i == 0 ? "" : "-") + values[i];
  return id;
}

}  // namespace cloudstate::proxy
