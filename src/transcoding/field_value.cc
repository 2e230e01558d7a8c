#include "transcoding/field_value.h"

#include <google/protobuf/reflection.h>
#include <google/protobuf/util/json_util.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

#include "transcoding/json_scan.h"
#include "transcoding/url_decoding.h"

namespace cloudstate::transcoding {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// "'text'"; built by appending, which also keeps GCC 12 from a false -Wrestrict on "'" + string.
std::string Quoted(std::string_view text) {
  std::string out(1, '\'');
  out.append(text);
  out.push_back('\'');
  return out;
}

template <typename T>
bool ParseInteger(std::string_view text, T* value) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *value);
  return ec == std::errc() && ptr == end && !text.empty();
}

bool ParseDouble(std::string_view text, double* value) {
  // The proto3 JSON spellings of the special values.
  if (text == "NaN") return *value = std::numeric_limits<double>::quiet_NaN(), true;
  if (text == "Infinity") return *value = std::numeric_limits<double>::infinity(), true;
  if (text == "-Infinity") return *value = -std::numeric_limits<double>::infinity(), true;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *value, std::chars_format::general);
  return ec == std::errc() && ptr == end && !text.empty() && std::isfinite(*value);  // "inf" is not JSON
}

bool ParseBool(std::string_view text, bool* value) {
  auto equals = [&](std::string_view word) {
    if (text.size() != word.size()) return false;
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != word[i]) return false;
    }
    return true;
  };
  if (equals("true") || text == "1") return *value = true, true;
  if (equals("false") || text == "0") return *value = false, true;
  return false;
}

// Sets or adds one scalar of the leaf field; "" or the reason the text does not convert.
std::string SetScalar(Message& message, const FieldDescriptor& field, std::string_view text) {
  const Reflection& reflection = *message.GetReflection();
  const bool repeated = field.is_repeated();
  auto bad = [&](const char* what) {
    return Quoted(text) + " is not " + what + " (field '" + field.name() + "')";
  };
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v;
      if (!ParseInteger(text, &v)) return bad("an int32");
      repeated ? reflection.AddInt32(&message, &field, v) : reflection.SetInt32(&message, &field, v);
      return "";
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v;
      if (!ParseInteger(text, &v)) return bad("an int64");
      repeated ? reflection.AddInt64(&message, &field, v) : reflection.SetInt64(&message, &field, v);
      return "";
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v;
      if (!ParseInteger(text, &v)) return bad("a uint32");
      repeated ? reflection.AddUInt32(&message, &field, v) : reflection.SetUInt32(&message, &field, v);
      return "";
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v;
      if (!ParseInteger(text, &v)) return bad("a uint64");
      repeated ? reflection.AddUInt64(&message, &field, v) : reflection.SetUInt64(&message, &field, v);
      return "";
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      double v;
      if (!ParseDouble(text, &v)) return bad("a number");
      repeated ? reflection.AddDouble(&message, &field, v) : reflection.SetDouble(&message, &field, v);
      return "";
    }
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double v;
      if (!ParseDouble(text, &v)) return bad("a number");
      if (std::isfinite(v) && std::fabs(v) > std::numeric_limits<float>::max()) return bad("a float in range");
      auto f = static_cast<float>(v);
      repeated ? reflection.AddFloat(&message, &field, f) : reflection.SetFloat(&message, &field, f);
      return "";
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      if (!ParseBool(text, &v)) return bad("a bool (true or false)");
      repeated ? reflection.AddBool(&message, &field, v) : reflection.SetBool(&message, &field, v);
      return "";
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* value = field.enum_type()->FindValueByName(std::string(text));
      int number = 0;
      if (value != nullptr) {
        number = value->number();
      } else if (!ParseInteger(text, &number)) {
        return bad(("a value of enum " + field.enum_type()->full_name()).c_str());
      } else if (field.enum_type()->FindValueByNumber(number) == nullptr &&
                 field.file()->syntax() != google::protobuf::FileDescriptor::SYNTAX_PROTO3) {
        return bad(("a value of the closed enum " + field.enum_type()->full_name()).c_str());
      }
      repeated ? reflection.AddEnumValue(&message, &field, number) : reflection.SetEnumValue(&message, &field, number);
      return "";
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string v;
      if (field.type() == FieldDescriptor::TYPE_BYTES) {
        if (!DecodeBase64(text, &v)) return bad("base64");
      } else {
        if (!IsValidUtf8(text)) return "the value of field '" + field.name() + "' is not valid UTF-8";
        v = std::string(text);
      }
      repeated ? reflection.AddString(&message, &field, std::move(v))
               : reflection.SetString(&message, &field, std::move(v));
      return "";
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return "field '" + field.name() + "' cannot be set from a URL";
}

// Timestamp, Duration, FieldMask: parsed from their JSON string form with protobuf's JSON mapping.
std::string SetStringShapedMessage(Message& target, const FieldDescriptor& field, std::string_view text) {
  if (!IsValidUtf8(text)) return "the value of field '" + field.name() + "' is not valid UTF-8";
  std::string json = JsonQuote(text);
  auto status = google::protobuf::util::JsonStringToMessage(json, &target);
  if (!status.ok()) {
    return Quoted(text) + " is not a valid " + field.message_type()->full_name() + " (field '" +
           field.name() + "')";
  }
  return "";
}

// The message that holds the last field of `path`, created on the way; nullptr with the reason in
// `problem` when a oneof on the way already holds another field.
Message* HolderOfLeaf(Message& message, const FieldPath& path, std::string* problem) {
  Message* current = &message;
  for (size_t i = 0; i < path.size(); ++i) {
    const FieldDescriptor& field = *path[i];
    const Reflection& reflection = *current->GetReflection();
    if (const auto* oneof = field.real_containing_oneof()) {
      const FieldDescriptor* set = reflection.GetOneofFieldDescriptor(*current, oneof);
      if (set != nullptr && set != &field) {
        *problem = "field '" + field.name() + "' and field '" + set->name() + "' are both in oneof '" +
                   oneof->name() + "'; set only one";
        return nullptr;
      }
    }
    if (i + 1 < path.size()) current = reflection.MutableMessage(current, &field);
  }
  return current;
}

}  // namespace

bool CanSetFromText(const FieldDescriptor& leaf) {
  if (leaf.is_map()) return false;
  if (leaf.cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return true;
  return IsScalarLikeMessage(*leaf.message_type());
}

std::string SetFieldFromText(Message& message, const FieldPath& path, std::string_view text) {
  if (path.empty()) return "empty field path";
  std::string problem;
  Message* current = HolderOfLeaf(message, path, &problem);
  if (current == nullptr) return problem;
  const FieldDescriptor& field = *path.back();
  const Reflection& reflection = *current->GetReflection();
  if (!CanSetFromText(field)) return "field '" + FieldPathName(path) + "' cannot be set from a URL";
  if (field.cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return SetScalar(*current, field, text);
  Message* leaf = field.is_repeated() ? reflection.AddMessage(current, &field) : reflection.MutableMessage(current, &field);
  const auto* type = field.message_type();
  bool is_wrapper = type->field_count() == 1 && type->field(0)->name() == "value";  // Int32Value and kin
  if (is_wrapper) return SetScalar(*leaf, *type->field(0), text);
  return SetStringShapedMessage(*leaf, field, text);
}

std::string AddMapEntryFromText(Message& message, const FieldPath& path, std::string_view key,
                                std::string_view value) {
  if (path.empty()) return "empty field path";
  const FieldDescriptor& field = *path.back();
  if (!field.is_map()) return "field '" + FieldPathName(path) + "' is not a map";
  const FieldDescriptor& key_field = *field.message_type()->map_key();
  const FieldDescriptor& value_field = *field.message_type()->map_value();
  if (!CanSetFromText(value_field)) {
    return "the values of map field '" + FieldPathName(path) + "' are messages; send the map in a JSON body";
  }
  std::string problem;
  Message* holder = HolderOfLeaf(message, path, &problem);
  if (holder == nullptr) return problem;
  Message& entry = *holder->GetReflection()->AddMessage(holder, &field);
  problem = SetFieldFromText(entry, {&key_field}, key);
  if (problem.empty()) problem = SetFieldFromText(entry, {&value_field}, value);
  if (!problem.empty()) holder->GetReflection()->RemoveLast(holder, &field);  // no half-made entry
  return problem;
}

bool DecodeBase64(std::string_view text, std::string* bytes) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  bytes->clear();
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int value;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    else if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
    else if (c >= '0' && c <= '9') value = c - '0' + 52;
    else if (c == '+' || c == '-') value = 62;
    else if (c == '/' || c == '_') value = 63;
    else return false;
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes->push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return bits < 6;  // a lone trailing character carries fewer than 8 bits: not base64
}

}  // namespace cloudstate::transcoding
