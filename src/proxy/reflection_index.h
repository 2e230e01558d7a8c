// What gRPC server reflection answers, over the user function's descriptor pool plus the
// reflection protocol's own file: the served services, files by name or by a symbol they declare
// (with the files they import that the stream has not carried yet), extensions of a type.
// Follows the reference proxy where the Cloudstate TCK checks it: list_services names the
// reflection service first, then the served services sorted; an unknown symbol gets an empty
// file_descriptor_response. Other unknown names get an error_response NOT_FOUND, as gRPC's own
// reflection service answers. Pure: no I/O. Immutable; safe to use from any thread.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>

#include "grpc/reflection/v1alpha/reflection.pb.h"

namespace cloudstate::proxy {

class ReflectionIndex {
 public:
  // `pool` (null: only the reflection service itself) must outlive the index; `services` are the
  // full names of the services served from it.
  ReflectionIndex(const google::protobuf::DescriptorPool* pool, std::vector<std::string> services);

  // The answer to one request of a stream; `sent` holds the names of the files sent on it so far
  // and is updated.
  grpc::reflection::v1alpha::ServerReflectionResponse Answer(
      const grpc::reflection::v1alpha::ServerReflectionRequest& request, std::set<std::string>& sent) const;

  // The reflection service's full name.
  static const std::string& ServiceName();

 private:
  const google::protobuf::FileDescriptor* FileByName(const std::string& name) const;
  const google::protobuf::FileDescriptor* FileBySymbol(const std::string& symbol) const;
  const google::protobuf::Descriptor* MessageType(const std::string& name) const;
  // `file` and then the files it imports, transitively, that are not in `sent`.
  void AddFiles(const google::protobuf::FileDescriptor& file, std::set<std::string>& sent,
                grpc::reflection::v1alpha::FileDescriptorResponse& out) const;

  const google::protobuf::DescriptorPool* pool_;
  std::vector<std::string> services_;  // as list_services answers them
  const google::protobuf::FileDescriptor* own_file_;  // the reflection protocol's
};

}  // namespace cloudstate::proxy
