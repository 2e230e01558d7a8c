// Reads the annotations the transcoder honours from a descriptor pool built at run time: the
// google.api.http rule of a method and the Cloudstate entity-key marks of fields. Read from the wire
// form of the options, so it works whether the pool parsed the extensions or kept them unknown.
#pragma once

#include <optional>

#include <google/protobuf/descriptor.h>

#include "google/api/http.pb.h"

namespace cloudstate::transcoding {

std::optional<google::api::HttpRule> ReadHttpRule(const google::protobuf::MethodDescriptor& method);

// The field carries `(cloudstate.entity_key) = true` or its legacy twin.
bool IsEntityKeyField(const google::protobuf::FieldDescriptor& field);

}  // namespace cloudstate::transcoding
