// The FileDescriptorSet a user function reports at discovery: the files declaring its services and
// every file they import, transitively, each once, dependencies before dependents (what
// `protoc --include_imports --descriptor_set_out` writes). Pure: no I/O.
#pragma once

#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

namespace cloudstate::function {

google::protobuf::FileDescriptorSet BuildDescriptorSet(
    const std::vector<const google::protobuf::FileDescriptor*>& files);

}  // namespace cloudstate::function
