// gRPC server reflection on the client port (grpc.reflection.v1alpha.ServerReflection), so that
// standard tools list and call the user function's services without .proto files. gRPC's own
// reflection library reflects only the descriptors compiled into this program; this one answers
// from the user function's pool (reflection_index.h), which is known only after discovery.
#pragma once

#include <memory>
#include <mutex>

#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "proxy/reflection_index.h"

namespace cloudstate::proxy {

// Register with the port's grpc::ServerBuilder; must outlive the server. Safe to use from any thread.
class ReflectionService final : public grpc::reflection::v1alpha::ServerReflection::CallbackService {
 public:
  ReflectionService() : index_(std::make_shared<ReflectionIndex>(nullptr, std::vector<std::string>{})) {}

  // Streams answer from `index` from their next request on.
  void Serve(std::shared_ptr<const ReflectionIndex> index);

  grpc::ServerBidiReactor<grpc::reflection::v1alpha::ServerReflectionRequest,
                          grpc::reflection::v1alpha::ServerReflectionResponse>*
  ServerReflectionInfo(grpc::CallbackServerContext* context) override;

  std::shared_ptr<const ReflectionIndex> index() const;

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const ReflectionIndex> index_;
};

}  // namespace cloudstate::proxy
