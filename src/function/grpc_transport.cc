// Wire side: the grpc::Server carrying the five protocol services.
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <mutex>

#include "function/discovery.h"
#include "function/grpc_action_service.h"
#include "function/grpc_crdt_service.h"
#include "function/grpc_entity_services.h"
#include "function/transport.h"

namespace cloudstate::function {
namespace {

// "host:port", with IPv6 literals bracketed.
std::string Endpoint(const std::string& address, int port) {
  bool ipv6 = address.find(':') != std::string::npos && address.front() != '[';
  return (ipv6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

class GrpcTransport final : public Transport {
 public:
  explicit GrpcTransport(std::shared_ptr<const Registry> registry)
      : discovery_(registry), event_sourced_(registry), value_entity_(registry), action_(registry), crdt_(registry) {}

  ~GrpcTransport() override {
    Shutdown(std::chrono::milliseconds(0));
    Wait();
  }

  Status Start(const TransportOptions& options) {
    grpc::ServerBuilder builder;
    std::string endpoint = Endpoint(options.address, options.port);
    builder.AddListeningPort(endpoint, grpc::InsecureServerCredentials(), &port_);
    // gRPC shares ports by default (SO_REUSEPORT); a second function on a taken port must fail.
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    if (options.max_message_size > 0) {
      int size = static_cast<int>(std::min<size_t>(options.max_message_size, INT32_MAX));
      builder.SetMaxReceiveMessageSize(size);
      builder.SetMaxSendMessageSize(size);
    }
    builder.RegisterService(&discovery_);
    builder.RegisterService(&event_sourced_);
    builder.RegisterService(&value_entity_);
    builder.RegisterService(&action_);
    builder.RegisterService(&crdt_);
    server_ = builder.BuildAndStart();
    if (!server_ || port_ == 0) {
      server_.reset();
      return Status::Unavailable("cannot listen on " + endpoint);
    }
    return Status::Ok();
  }

  int port() const override { return port_; }

  void Shutdown(std::chrono::milliseconds grace) override {
    std::lock_guard lock(shutdown_mu_);
    if (shut_down_ || !server_) return;
    shut_down_ = true;
    server_->Shutdown(std::chrono::system_clock::now() + grace);
  }

  void Wait() override {
    if (server_) server_->Wait();
  }

 private:
  DiscoveryService discovery_;
  EventSourcedService event_sourced_;
  ValueEntityService value_entity_;
  ActionService action_;
  CrdtService crdt_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::mutex shutdown_mu_;
  bool shut_down_ = false;
};

}  // namespace

Result<std::unique_ptr<Transport>> StartGrpcTransport(const TransportOptions& options,
                                                      std::shared_ptr<const Registry> registry) {
  auto transport = std::make_unique<GrpcTransport>(std::move(registry));
  if (Status status = transport->Start(options); !status.ok()) return status;
  return std::unique_ptr<Transport>(std::move(transport));
}

}  // namespace cloudstate::function
