#include "json_event.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/wrappers.pb.h>

namespace cloudstate::tck {

// BytesValue has exactly the wire shape of the protocol's JSON wrapper: bytes as field 1.
google::protobuf::Any JsonMessageEvent(const std::string& type_name, const std::string& message) {
  google::protobuf::Struct object;
  (*object.mutable_fields())["message"].set_string_value(message);
  google::protobuf::BytesValue wrapper;
  // A Struct of one string always prints; the JSON printer escapes the text.
  (void)google::protobuf::util::MessageToJsonString(object, wrapper.mutable_value());
  google::protobuf::Any event;
  event.set_type_url(kJsonTypeUrlPrefix + type_name);
  event.set_value(wrapper.SerializeAsString());
  return event;
}

Result<std::string> JsonEventMessage(const google::protobuf::Any& event) {
  if (event.type_url().rfind(kJsonTypeUrlPrefix, 0) != 0) {
    return Status::InvalidArgument("not a JSON event: " + event.type_url());
  }
  google::protobuf::BytesValue wrapper;
  if (!wrapper.ParseFromString(event.value())) {
    return Status::InvalidArgument("JSON event " + event.type_url() + " does not carry its text as field 1");
  }
  google::protobuf::Struct object;
  auto parsed = google::protobuf::util::JsonStringToMessage(wrapper.value(), &object);
  if (!parsed.ok()) return Status::InvalidArgument("JSON event is not an object: " + wrapper.value());
  auto field = object.fields().find("message");
  if (field == object.fields().end() || field->second.kind_case() != google::protobuf::Value::kStringValue) {
    return Status::InvalidArgument("JSON event has no string \"message\": " + wrapper.value());
  }
  return field->second.string_value();
}

}  // namespace cloudstate::tck
