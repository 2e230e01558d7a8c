#include "function/descriptor_set.h"

#include <set>
#include <string>

namespace cloudstate::function {
namespace {

using google::protobuf::FileDescriptor;

// Post-order walk: a file is written after everything it imports. Imports cannot be cyclic in a
// descriptor pool, so `visited` only has to stop repeats.
void Add(const FileDescriptor& file, std::set<std::string>& visited, google::protobuf::FileDescriptorSet& set) {
  if (!visited.insert(file.name()).second) return;
  for (int i = 0; i < file.dependency_count(); ++i) Add(*file.dependency(i), visited, set);
  google::protobuf::FileDescriptorProto* proto = set.add_file();
  file.CopyTo(proto);
  file.CopyJsonNameTo(proto);  // as protoc does, so JSON names survive in any proxy
}

}  // namespace

google::protobuf::FileDescriptorSet BuildDescriptorSet(const std::vector<const FileDescriptor*>& files) {
  google::protobuf::FileDescriptorSet set;
  std::set<std::string> visited;
  for (const FileDescriptor* file : files) {
    if (file != nullptr) Add(*file, visited, set);
  }
  return set;
}

}  // namespace cloudstate::function
