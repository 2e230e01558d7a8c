#include "proxy/discovery.h"

#include "cloudstate/entity.grpc.pb.h"

namespace cloudstate::proxy {

Result<cloudstate::EntitySpec> Discover(grpc::Channel& channel, const SupportedTypes& supported,
                                        std::chrono::milliseconds timeout) {
  cloudstate::ProxyInfo info;
  info.set_protocol_major_version(0);
  info.set_protocol_minor_version(2);
  info.set_proxy_name(kProxyName);
  info.set_proxy_version(kProxyVersion);
  for (const auto& type : supported.Names()) info.add_supported_entity_types(type);

  auto stub = cloudstate::EntityDiscovery::NewStub(std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {}));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  cloudstate::EntitySpec spec;
  grpc::Status status = stub->discover(&context, info, &spec);
  if (!status.ok()) {
    return Status::Unavailable("discovery failed: " + std::to_string(status.error_code()) + " " + status.error_message());
  }
  return spec;
}

void ReportError(grpc::Channel& channel, const std::string& message) {
  auto stub = cloudstate::EntityDiscovery::NewStub(std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {}));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  cloudstate::UserFunctionError error;
  error.set_message(message);
  google::protobuf::Empty empty;
  stub->reportError(&context, error, &empty).IgnoreError();
}

void ReportErrorAsync(const std::shared_ptr<grpc::Channel>& channel, CallTracker& calls, const std::string& message) {
  // gRPC needs the stub, context and messages alive until the call completes.
  struct Call {
    std::unique_ptr<CallTracker::Token> token;  // first: released after the context
    std::unique_ptr<cloudstate::EntityDiscovery::Stub> stub;
    grpc::ClientContext context;
    cloudstate::UserFunctionError error;
    google::protobuf::Empty empty;
  };
  auto call = std::make_shared<Call>();
  call->token = calls.Track([weak = std::weak_ptr<Call>(call)] {
    if (auto live = weak.lock()) live->context.TryCancel();
  });
  call->stub = cloudstate::EntityDiscovery::NewStub(channel);
  call->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  call->error.set_message(message);
  call->stub->async()->reportError(&call->context, &call->error, &call->empty, [call](grpc::Status) {});
}

}  // namespace cloudstate::proxy
