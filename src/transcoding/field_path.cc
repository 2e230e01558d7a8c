#include "transcoding/field_path.h"

namespace cloudstate::transcoding {

using google::protobuf::FieldDescriptor;

std::vector<std::string> SplitDottedName(std::string_view dotted) {
  std::vector<std::string> names;
  size_t start = 0;
  while (true) {
    size_t dot = dotted.find('.', start);
    names.emplace_back(dotted.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return names;
    start = dot + 1;
  }
}

bool ResolveFieldPath(const google::protobuf::Descriptor& message, const std::vector<std::string>& names,
                      FieldPath* path, std::string* error) {
  path->clear();
  const google::protobuf::Descriptor* current = &message;
  for (size_t i = 0; i < names.size(); ++i) {
    if (current == nullptr) {
      *error = "field '" + FieldPathName(*path) + "' of type " +
               std::string(path->back()->type_name()) + " has no field '" + names[i] + "'";
      return false;
    }
    const FieldDescriptor* field = current->FindFieldByName(names[i]);
    for (int f = 0; field == nullptr && f < current->field_count(); ++f) {
      if (current->field(f)->json_name() == names[i]) field = current->field(f);
    }
    if (field == nullptr) {
      *error = "unknown field '" + names[i] + "' in type " + current->full_name();
      return false;
    }
    path->push_back(field);
    bool last = i + 1 == names.size();
    if (!last && (field->is_repeated() || field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE)) {
      *error = "field '" + FieldPathName(*path) + "' is " + (field->is_repeated() ? "repeated" : "not a message") +
               ", so it has no field '" + names[i + 1] + "'";
      return false;
    }
    current = field->message_type();
  }
  return true;
}

std::string FieldPathName(const FieldPath& path) {
  std::string name;
  for (const auto* field : path) name += (name.empty() ? "" : ".") + field->name();
  return name;
}

bool IsScalarLikeMessage(const google::protobuf::Descriptor& message) {
  static const char* const kNames[] = {
      "google.protobuf.Timestamp",   "google.protobuf.Duration",    "google.protobuf.FieldMask",
      "google.protobuf.DoubleValue", "google.protobuf.FloatValue",  "google.protobuf.Int64Value",
      "google.protobuf.UInt64Value", "google.protobuf.Int32Value",  "google.protobuf.UInt32Value",
      "google.protobuf.BoolValue",   "google.protobuf.StringValue", "google.protobuf.BytesValue"};
  for (const char* name : kNames) {
    if (message.full_name() == name) return true;
  }
  return false;
}

}  // namespace cloudstate::transcoding
