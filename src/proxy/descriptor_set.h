// Builds a descriptor pool from the FileDescriptorSet a user function reports at discovery.
// Files may come in any order (some support libraries send a file before its dependencies);
// dependencies are resolved by name, well-known types missing from the set are taken from the
// protobuf library, and a missing dependency or a cycle is a clear error.
#pragma once

#include <memory>
#include <string>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include "cloudstate/status.h"

namespace cloudstate::proxy {

Result<std::unique_ptr<google::protobuf::DescriptorPool>> BuildDescriptorPool(
    const google::protobuf::FileDescriptorSet& files);

// Parses and builds in one step; InvalidArgument when the bytes are not a FileDescriptorSet.
Result<std::unique_ptr<google::protobuf::DescriptorPool>> BuildDescriptorPool(const std::string& serialized);

}  // namespace cloudstate::proxy
