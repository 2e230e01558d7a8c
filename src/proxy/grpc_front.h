// The client-facing gRPC side of the sidecar: serves every discovered user service by method path
// ("/<service>/<method>") through one generic callback service. Entity methods get their entity id
// from the request's key fields and go through the engine (one command at a time per entity);
// action methods go to the user function as they come.
#pragma once

#include <grpcpp/generic/async_generic_service.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cloudstate/engine.h"
#include "cloudstate/log.h"
#include "proxy/served_services.h"

namespace cloudstate::proxy {

class GrpcFront {
 public:
  GrpcFront(Engine& engine, const std::vector<ServedService>& services, LogSink log);

  // Register with a grpc::ServerBuilder; must outlive the server.
  grpc::CallbackGenericService& service() { return *service_; }

  struct Route {
    const ServedService* service;
    const ServedMethod* method;
  };
  // The route of a gRPC method path, or nullptr.
  const Route* Find(const std::string& path) const;

  Engine& engine() { return engine_; }
  const LogSink& log() const { return log_; }

 private:
  class Service;

  Engine& engine_;
  LogSink log_;
  std::map<std::string, Route, std::less<>> routes_;
  std::unique_ptr<grpc::CallbackGenericService> service_;
};

}  // namespace cloudstate::proxy
