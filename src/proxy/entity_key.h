// Extracts the entity id from a request's wire bytes: the values of the method's key fields (marked
// with the entity_key option, current or legacy) in declaration order, joined with "-". Reads only
// the key fields' tags, without parsing the message. Pure: no I/O, fuzzable.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/descriptor.h>

#include "cloudstate/status.h"

namespace cloudstate::proxy {

// The key fields of a message, in declaration order (both option numbers count).
std::vector<const google::protobuf::FieldDescriptor*> KeyFields(const google::protobuf::Descriptor& message);

// Whether a field's type can be a key: strings, integers, booleans and enums. Others (bytes,
// floating point, messages, repeated fields) are refused at discovery.
bool IsSupportedKeyField(const google::protobuf::FieldDescriptor& field);

// The entity id of `request` (serialized bytes of the key fields' message); InvalidArgument when the
// bytes are malformed.
Result<std::string> ExtractEntityId(std::string_view request,
                                    const std::vector<const google::protobuf::FieldDescriptor*>& key_fields);

}  // namespace cloudstate::proxy
