// Transcoder::TranscodeResponse: the reply message as JSON (whole, or the response_body field), or
// an HttpBody's bytes with its own content type.
#include <google/protobuf/reflection.h>

#include "google/api/httpbody.pb.h"
#include "transcoding/json_scan.h"
#include "transcoding/transcoder.h"

namespace cloudstate::transcoding {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

constexpr char kJson[] = "application/json";

HttpResult<HttpReplyBody> HttpBodyReply(const std::string& bytes) {
  google::api::HttpBody http_body;
  if (!http_body.ParseFromString(bytes)) return HttpError{500, "the reply is not a valid google.api.HttpBody", {}};
  return HttpReplyBody{http_body.content_type(), http_body.data()};
}

// Makes an unset member of a oneof present with its default value, so that it renders.
void SetDefault(Message& message, const FieldDescriptor& field) {
  const auto* r = message.GetReflection();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: r->SetInt32(&message, &field, 0); break;
    case FieldDescriptor::CPPTYPE_INT64: r->SetInt64(&message, &field, 0); break;
    case FieldDescriptor::CPPTYPE_UINT32: r->SetUInt32(&message, &field, 0); break;
    case FieldDescriptor::CPPTYPE_UINT64: r->SetUInt64(&message, &field, 0); break;
    case FieldDescriptor::CPPTYPE_DOUBLE: r->SetDouble(&message, &field, 0); break;
    case FieldDescriptor::CPPTYPE_FLOAT: r->SetFloat(&message, &field, 0); break;
    case FieldDescriptor::CPPTYPE_BOOL: r->SetBool(&message, &field, false); break;
    case FieldDescriptor::CPPTYPE_ENUM: r->SetEnumValue(&message, &field, field.default_value_enum()->number()); break;
    case FieldDescriptor::CPPTYPE_STRING: r->SetString(&message, &field, ""); break;
    case FieldDescriptor::CPPTYPE_MESSAGE: r->MutableMessage(&message, &field); break;
  }
}

}  // namespace

HttpResult<HttpReplyBody> Transcoder::TranscodeResponse(const Binding& binding, std::string_view reply) const {
  const auto& output = *binding.method->output_type();
  const std::string bytes(reply);
  if (output.full_name() == kHttpBodyType) return HttpBodyReply(bytes);
  // Parsed first: protobuf's binary-to-JSON converter does not refuse every malformed input.
  std::unique_ptr<Message> message = NewMessage(output);
  if (!message->ParseFromString(bytes)) return HttpError{500, "the reply is not a valid " + output.full_name(), {}};
  if (binding.response_body_field != nullptr) return RenderField(*message, *binding.response_body_field);
  auto json = BinaryToJson(output, bytes, options_.emit_default_values);
  if (!json.ok()) return json.error();
  return HttpReplyBody{kJson, std::move(*json)};
}

HttpResult<HttpReplyBody> Transcoder::RenderField(const Message& reply, const FieldDescriptor& field) const {
  const auto* reflection = reply.GetReflection();
  if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !field.is_repeated()) {
    const Message& inner = reflection->GetMessage(reply, &field, &factory_);
    std::string inner_bytes = inner.SerializeAsString();
    if (field.message_type()->full_name() == kHttpBodyType) return HttpBodyReply(inner_bytes);
    auto json = BinaryToJson(*field.message_type(), inner_bytes, options_.emit_default_values);
    if (!json.ok()) return json.error();
    return HttpReplyBody{kJson, std::move(*json)};
  }
  // Scalars, repeated fields and maps: render a copy holding only this field and cut its value out
  // of the object. An empty list or map is `[]` / `{}`, and a scalar is printed even when it holds
  // its default: a bare `0` is the answer, not nothing.
  if (field.is_repeated() && reflection->FieldSize(reply, &field) == 0) {
    return HttpReplyBody{kJson, field.is_map() ? "{}" : "[]"};
  }
  std::unique_ptr<Message> alone(reply.New());
  alone->CopyFrom(reply);
  std::vector<const FieldDescriptor*> set_fields;
  reflection->ListFields(*alone, &set_fields);
  for (const auto* other : set_fields) {
    if (other != &field) reflection->ClearField(alone.get(), other);
  }
  if (field.real_containing_oneof() != nullptr && !reflection->HasField(*alone, &field)) SetDefault(*alone, field);
  bool emit_defaults = options_.emit_default_values || !field.is_repeated();
  auto json = BinaryToJson(*alone->GetDescriptor(), alone->SerializeAsString(), emit_defaults);
  if (!json.ok()) return json.error();
  const std::string& key = options_.use_proto_field_names ? field.name() : field.json_name();
  auto value = FindTopLevelMember(*json, key);
  if (!value) return HttpError{500, "field '" + field.name() + "' is missing from the rendered reply", {}};
  return HttpReplyBody{kJson, std::string(*value)};
}

}  // namespace cloudstate::transcoding
