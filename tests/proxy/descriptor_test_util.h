// Builds FileDescriptorSets for tests from files compiled into the test binary.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <set>
#include <string>

namespace cloudstate::proxytest {

// `file` and everything it imports, dependencies first (what protoc --include_imports writes).
inline void AddWithImports(const google::protobuf::FileDescriptor* file, google::protobuf::FileDescriptorSet* set,
                           std::set<std::string>* seen) {
  if (!seen->insert(file->name()).second) return;
  for (int i = 0; i < file->dependency_count(); ++i) AddWithImports(file->dependency(i), set, seen);
  file->CopyTo(set->add_file());
}

inline google::protobuf::FileDescriptorSet SetOf(const google::protobuf::FileDescriptor* file) {
  google::protobuf::FileDescriptorSet set;
  std::set<std::string> seen;
  AddWithImports(file, &set, &seen);
  return set;
}

}  // namespace cloudstate::proxytest
