// Sets a request field from the text a URL carries for it (a path capture or a query value): numbers
// in decimal, booleans, enums by name or number, bytes in base64 (standard or URL-safe), and the
// string-shaped well-known types (Timestamp "2020-01-01T00:00:00Z", Duration "1.5s", FieldMask
// "a,b.c", wrappers as their value).
#pragma once

#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "transcoding/field_path.h"

namespace cloudstate::transcoding {

// Sets the leaf of `path` (adds to it when it is repeated), creating the messages on the way.
// Returns "" on success, else why the text does not fit the field.
std::string SetFieldFromText(google::protobuf::Message& message, const FieldPath& path, std::string_view text);

// Adds the entry `key` -> `value` to the map field at the end of `path` (the query string's
// `labels[key]=value`): the key and value texts as SetFieldFromText reads them. Maps whose values
// are messages (other than the types above) cannot be set this way. "" or why not.
std::string AddMapEntryFromText(google::protobuf::Message& message, const FieldPath& path, std::string_view key,
                                std::string_view value);

// Whether a leaf field can take its value from URL text at all (scalars, enums, the types above).
bool CanSetFromText(const google::protobuf::FieldDescriptor& leaf);

// Standard or URL-safe alphabet, padding optional; false on any other character.
bool DecodeBase64(std::string_view text, std::string* bytes);

}  // namespace cloudstate::transcoding
