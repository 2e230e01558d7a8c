#include "transcoding/annotations.h"

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <string>

namespace cloudstate::transcoding {
namespace {

using google::protobuf::internal::WireFormatLite;

constexpr int kHttpRuleExtension = 72295728;
constexpr int kEntityKeyExtension = 1080;
constexpr int kLegacyEntityKeyExtension = 50002;

// Calls `visit(field_number, wire_type, input)` for every field of `wire`; the visitor consumes the
// value and returns false to stop. Returns false on malformed bytes.
template <typename Visitor>
bool ForEachField(const std::string& wire, Visitor visit) {
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(wire.data()),
                                               static_cast<int>(wire.size()));
  while (uint32_t tag = input.ReadTag()) {
    int number = WireFormatLite::GetTagFieldNumber(tag);
    auto wire_type = WireFormatLite::GetTagWireType(tag);
    bool handled = false;
    if (!visit(number, wire_type, input, &handled)) return true;
    if (!handled && !WireFormatLite::SkipField(&input, tag)) return false;
  }
  return true;
}

}  // namespace

std::optional<google::api::HttpRule> ReadHttpRule(const google::protobuf::MethodDescriptor& method) {
  std::optional<google::api::HttpRule> rule;
  ForEachField(method.options().SerializeAsString(),
               [&](int number, WireFormatLite::WireType type, google::protobuf::io::CodedInputStream& input,
                   bool* handled) {
                 if (number != kHttpRuleExtension || type != WireFormatLite::WIRETYPE_LENGTH_DELIMITED) return true;
                 *handled = true;
                 std::string bytes;
                 if (!WireFormatLite::ReadBytes(&input, &bytes)) return false;
                 if (!rule) rule.emplace();
                 rule->MergeFromString(bytes);  // a repeated occurrence merges, as protobuf parsing does
                 return true;
               });
  return rule;
}

bool IsEntityKeyField(const google::protobuf::FieldDescriptor& field) {
  bool is_key = false;
  ForEachField(field.options().SerializeAsString(),
               [&](int number, WireFormatLite::WireType type, google::protobuf::io::CodedInputStream& input,
                   bool* handled) {
                 if ((number != kEntityKeyExtension && number != kLegacyEntityKeyExtension) ||
                     type != WireFormatLite::WIRETYPE_VARINT) {
                   return true;
                 }
                 *handled = true;
                 uint64_t value = 0;
                 if (!input.ReadVarint64(&value)) return false;
                 is_key = is_key || value != 0;
                 return true;
               });
  return is_key;
}

}  // namespace cloudstate::transcoding
