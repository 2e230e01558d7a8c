// Handler side: the public FunctionServer. Wraps the user's factories into the neutral instance
// factories of bridge.h, fills the registry, and starts the gRPC transport over it.
#include "cloudstate/function_server.h"

#include <mutex>
#include <utility>

#include "function/action_adapter.h"
#include "function/crdt_adapter.h"
#include "function/event_sourced_adapter.h"
#include "function/registry.h"
#include "function/transport.h"
#include "function/value_entity_adapter.h"

namespace cloudstate {

using function::Registry;
using function::ServiceEntry;
using function::ServiceKind;

struct FunctionServer::Impl {
  FunctionServerOptions options;
  std::shared_ptr<Registry> registry = std::make_shared<Registry>();
  std::mutex mu;  // guards registry (until started) and transport
  std::unique_ptr<function::Transport> transport;
  bool started = false;

  Status Add(ServiceEntry entry) {
    std::lock_guard lock(mu);
    if (started) return Status::InvalidArgument("services must be added before Start");
    return registry->Add(std::move(entry));
  }
};

FunctionServer::FunctionServer(FunctionServerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->registry->info = {impl_->options.service_name, impl_->options.service_version};
  impl_->registry->log = impl_->options.log ? impl_->options.log : StderrLogSink();
}

FunctionServer::~FunctionServer() {
  Shutdown(std::chrono::milliseconds(0));
  Wait();
}

Status FunctionServer::AddEventSourced(const google::protobuf::ServiceDescriptor* service,
                                       EventSourcedFactory factory, EventSourcedOptions options) {
  if (service == nullptr) return Status::InvalidArgument("AddEventSourced: no service descriptor given");
  if (!factory) return Status::InvalidArgument(service->full_name() + ": no factory given");
  ServiceEntry entry;
  entry.kind = ServiceKind::kEventSourced;
  entry.descriptor = service;
  entry.persistence_id = std::move(options.persistence_id);
  entry.snapshot_every = options.snapshot_every;
  entry.passivation_timeout = options.passivation_timeout;
  entry.event_sourced =
      function::MakeEventSourcedInstanceFactory(*impl_->registry, *service, std::move(factory), options.snapshot_every);
  return impl_->Add(std::move(entry));
}

Status FunctionServer::AddValueEntity(const google::protobuf::ServiceDescriptor* service, ValueEntityFactory factory,
                                      ValueEntityOptions options) {
  if (service == nullptr) return Status::InvalidArgument("AddValueEntity: no service descriptor given");
  if (!factory) return Status::InvalidArgument(service->full_name() + ": no factory given");
  ServiceEntry entry;
  entry.kind = ServiceKind::kValueEntity;
  entry.descriptor = service;
  entry.persistence_id = std::move(options.persistence_id);
  entry.passivation_timeout = options.passivation_timeout;
  entry.value = function::MakeValueInstanceFactory(*impl_->registry, *service, std::move(factory));
  return impl_->Add(std::move(entry));
}

Status FunctionServer::AddCrdt(const google::protobuf::ServiceDescriptor* service, CrdtEntityFactory factory,
                               CrdtOptions options) {
  if (service == nullptr) return Status::InvalidArgument("AddCrdt: no service descriptor given");
  if (!factory) return Status::InvalidArgument(service->full_name() + ": no factory given");
  ServiceEntry entry;
  entry.kind = ServiceKind::kCrdt;
  entry.descriptor = service;
  entry.persistence_id = std::move(options.persistence_id);
  entry.passivation_timeout = options.passivation_timeout;
  entry.crdt = function::MakeCrdtHandlerFactory(*impl_->registry, *service, std::move(factory));
  return impl_->Add(std::move(entry));
}

Status FunctionServer::AddAction(const google::protobuf::ServiceDescriptor* service, ActionFactory factory) {
  if (service == nullptr) return Status::InvalidArgument("AddAction: no service descriptor given");
  if (!factory) return Status::InvalidArgument(service->full_name() + ": no factory given");
  ServiceEntry entry;
  entry.kind = ServiceKind::kAction;
  entry.descriptor = service;
  entry.action = function::MakeActionInstanceFactory(*impl_->registry, *service, std::move(factory));
  return impl_->Add(std::move(entry));
}

Status FunctionServer::Start() {
  std::lock_guard lock(impl_->mu);
  if (impl_->started) return Status::InvalidArgument("the function server was already started");
  if (impl_->registry->empty()) return Status::InvalidArgument("the function server has no service to serve");
  if (impl_->options.port < 0 || impl_->options.port > 65535) {
    return Status::InvalidArgument("port " + std::to_string(impl_->options.port) + " is out of range");
  }
  function::TransportOptions options{impl_->options.address, impl_->options.port, impl_->options.max_message_size};
  Result<std::unique_ptr<function::Transport>> transport = function::StartGrpcTransport(options, impl_->registry);
  if (!transport.ok()) return transport.status();
  impl_->transport = std::move(*transport);
  impl_->started = true;
  return Status::Ok();
}

int FunctionServer::port() const {
  std::lock_guard lock(impl_->mu);
  return impl_->transport ? impl_->transport->port() : 0;
}

void FunctionServer::Shutdown(std::chrono::milliseconds grace) {
  function::Transport* transport = nullptr;
  {
    std::lock_guard lock(impl_->mu);
    transport = impl_->transport.get();
  }
  if (transport != nullptr) transport->Shutdown(grace);
}

void FunctionServer::Wait() {
  function::Transport* transport = nullptr;
  {
    std::lock_guard lock(impl_->mu);
    transport = impl_->transport.get();
  }
  if (transport != nullptr) transport->Wait();
}

}  // namespace cloudstate
