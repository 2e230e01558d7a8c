// Dotted field paths ("shelf.book.title") of a request message, as path templates and query
// parameters name them, resolved to descriptors once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/descriptor.h>

namespace cloudstate::transcoding {

using FieldPath = std::vector<const google::protobuf::FieldDescriptor*>;

std::vector<std::string> SplitDottedName(std::string_view dotted);

// Resolves each name by its proto name, then by its JSON name. Every field but the last must be a
// singular message field. False with `error` naming the part that does not resolve.
bool ResolveFieldPath(const google::protobuf::Descriptor& message, const std::vector<std::string>& names,
                      FieldPath* path, std::string* error);

// "shelf.book.title", with proto names.
std::string FieldPathName(const FieldPath& path);

// Well-known message types whose JSON form is one string or number, so a URL can carry them:
// Timestamp, Duration, FieldMask and the wrappers (Int32Value, StringValue, ...).
bool IsScalarLikeMessage(const google::protobuf::Descriptor& message);

}  // namespace cloudstate::transcoding
