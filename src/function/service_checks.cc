#include "function/service_checks.h"

#include <string>

#include "cloudstate/entity_key.pb.h"
#include "cloudstate/legacy_entity_key.pb.h"

namespace cloudstate::function {
namespace {

using google::protobuf::FieldDescriptor;

constexpr int kEntityKeyOption = 1080;
constexpr int kLegacyEntityKeyOption = 50002;

// Options read from a pool that did not know the extension keep it among the unknown fields.
bool HasTrueUnknownOption(const google::protobuf::FieldOptions& options, int number) {
  const auto& unknown = options.unknown_fields();
  for (int i = 0; i < unknown.field_count(); ++i) {
    const auto& field = unknown.field(i);
    if (field.number() == number && field.type() == google::protobuf::UnknownField::TYPE_VARINT) {
      return field.varint() != 0;
    }
  }
  return false;
}

// Strings, integers, booleans and enums, not repeated: what a proxy can turn into an entity id.
bool IsSupportedKeyType(const FieldDescriptor& field) {
  if (field.is_repeated()) return false;
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return field.type() == FieldDescriptor::TYPE_STRING;
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
    case FieldDescriptor::CPPTYPE_BOOL:
    case FieldDescriptor::CPPTYPE_ENUM:
      return true;
    default:
      return false;
  }
}

void Append(std::string& list, const std::string& item) {
  if (!list.empty()) list += ", ";
  list += item;
}

}  // namespace

bool IsEntityKeyField(const FieldDescriptor& field) {
  const auto& options = field.options();
  return options.GetExtension(cloudstate::entity_key) || options.GetExtension(cloudstate::legacy_entity_key) ||
         HasTrueUnknownOption(options, kEntityKeyOption) || HasTrueUnknownOption(options, kLegacyEntityKeyOption);
}

Status CheckEntityService(const google::protobuf::ServiceDescriptor& service, const char* kind, bool server_streaming) {
  std::string streamed, keyless, bad_keys;
  for (int i = 0; i < service.method_count(); ++i) {
    const auto& method = *service.method(i);
    if (method.client_streaming() || (method.server_streaming() && !server_streaming)) Append(streamed, method.name());
    const auto& input = *method.input_type();
    bool has_key = false;
    for (int f = 0; f < input.field_count(); ++f) {
      const FieldDescriptor& field = *input.field(f);
      if (!IsEntityKeyField(field)) continue;
      has_key = true;
      if (!IsSupportedKeyType(field)) Append(bad_keys, method.name() + " (" + field.full_name() + ")");
    }
    if (!has_key) Append(keyless, method.name());
  }
  std::string prefix = std::string(service.full_name()) + " cannot be served as " + kind + ": ";
  if (!streamed.empty()) return Status::InvalidArgument(prefix + "streamed methods " + streamed);
  if (!keyless.empty()) {
    return Status::InvalidArgument(prefix + "methods whose input has no field marked [(cloudstate.entity_key) = true]: " +
                                   keyless);
  }
  if (!bad_keys.empty()) {
    return Status::InvalidArgument(prefix + "entity keys must be strings, integers, booleans or enums: " + bad_keys);
  }
  if (service.method_count() == 0) return Status::InvalidArgument(prefix + "it has no methods");
  return Status::Ok();
}

}  // namespace cloudstate::function
