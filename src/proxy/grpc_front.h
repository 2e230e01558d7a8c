// The client-facing gRPC side of the sidecar: serves every discovered user service by method path
// ("/<service>/<method>") through one generic callback service. Entity methods get their entity id
// from the request's key fields and go through the engine (one command at a time per entity),
// server-streaming ones as streamed commands (streamed_entity_call.h); action methods go to the
// user function as they come: unary ones through the engine, streamed ones as one streamed call
// each (streamed_action_call.h).
#pragma once

#include <grpcpp/generic/async_generic_service.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cloudstate/engine.h"
#include "cloudstate/log.h"
#include "engine/engine_extensions.h"
#include "proxy/bridge_context.h"
#include "proxy/metrics/request_metrics.h"
#include "proxy/served_services.h"

namespace cloudstate::proxy {

class GrpcFront {
 public:
  // `bridges` is what the protocol bridges share; streamed action calls relay through it. Every
  // finished call is recorded in `metrics` when given (it must outlive the front).
  GrpcFront(Engine& engine, const std::vector<ServedService>& services, std::shared_ptr<const BridgeContext> bridges,
            RequestMetrics* metrics = nullptr);

  // Register with a grpc::ServerBuilder; must outlive the server.
  grpc::CallbackGenericService& service() { return *service_; }

  struct Route {
    const ServedService* service;
    const ServedMethod* method;
    RequestMetrics::MethodMetrics* metrics;  // null when not measured
  };
  // The route of a gRPC method path, or nullptr.
  const Route* Find(const std::string& path) const;

  Engine& engine() { return engine_; }
  EngineExtensions& extensions() { return ExtensionsOf(engine_); }
  const std::shared_ptr<const BridgeContext>& bridges() const { return bridges_; }

 private:
  class Service;

  Engine& engine_;
  std::shared_ptr<const BridgeContext> bridges_;
  std::map<std::string, Route, std::less<>> routes_;
  std::unique_ptr<grpc::CallbackGenericService> service_;
};

}  // namespace cloudstate::proxy
