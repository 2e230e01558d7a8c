// EntityDiscovery from the user function's side: the EntitySpec describing every served service
// (built once, the same for every call, so `discover` has no side effects), and reportError, which
// only logs. Wire side.
#pragma once

#include <memory>

#include "cloudstate/entity.grpc.pb.h"
#include "function/registry.h"

namespace cloudstate::function {

// The spec: descriptor set with all transitive imports, one Entity per service, ServiceInfo with
// protocol 0.2 and this library's name and version.
::cloudstate::EntitySpec BuildEntitySpec(const Registry& registry);

class DiscoveryService final : public ::cloudstate::EntityDiscovery::CallbackService {
 public:
  explicit DiscoveryService(std::shared_ptr<const Registry> registry);

  grpc::ServerUnaryReactor* discover(grpc::CallbackServerContext* context, const ::cloudstate::ProxyInfo* info,
                                     ::cloudstate::EntitySpec* spec) override;
  grpc::ServerUnaryReactor* reportError(grpc::CallbackServerContext* context,
                                        const ::cloudstate::UserFunctionError* error,
                                        google::protobuf::Empty* empty) override;

 private:
  void Log(LogLevel level, const std::string& message) const;

  const std::shared_ptr<const Registry> registry_;
  const ::cloudstate::EntitySpec spec_;
};

}  // namespace cloudstate::function
