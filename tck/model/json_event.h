// JSON events as the Cloudstate protocol carries them: the UTF-8 JSON text as field 1 (bytes) of a
// message whose type url starts with "json.cloudstate.io/", so a proxy can publish or deliver it
// as application/json without knowing its type.
#pragma once

#include <string>

#include <google/protobuf/any.pb.h>

#include "cloudstate/status.h"

namespace cloudstate::tck {

inline constexpr const char* kJsonTypeUrlPrefix = "json.cloudstate.io/";

// The event {"message": <message>} under the type url "json.cloudstate.io/<type_name>".
google::protobuf::Any JsonMessageEvent(const std::string& type_name, const std::string& message);

// The "message" property of such an event; InvalidArgument when `event` is not a JSON event or
// its JSON is not an object with a string "message".
Result<std::string> JsonEventMessage(const google::protobuf::Any& event);

}  // namespace cloudstate::tck
