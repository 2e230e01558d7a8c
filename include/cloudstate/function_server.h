// The function server: serves in-process entity and action handlers as a Cloudstate user function,
// so a sidecar (ours or any Cloudstate proxy) hosts their state. The same handler classes run
// embedded in an Engine. The server speaks the Cloudstate protocol 0.2 over plain-text gRPC.
//
//   cloudstate::FunctionServer server({.port = 8080});
//   auto* cart = shop::AddItem::descriptor()->file()->FindServiceByName("Cart");  // no C++ class
//   server.AddEventSourced(cart, NewCart, {.persistence_id = "carts", .snapshot_every = 5});
//   server.Start();
//   server.Wait();
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include <google/protobuf/descriptor.h>

#include "cloudstate/action.h"
#include "cloudstate/crdt_entity.h"
#include "cloudstate/event_sourced.h"
#include "cloudstate/log.h"
#include "cloudstate/status.h"
#include "cloudstate/value_entity.h"

namespace cloudstate {

struct FunctionServerOptions {
  // Where to listen. Port 0 picks a free port; port() then tells which.
  std::string address = "127.0.0.1";
  int port = 8080;
  // Reported to the proxy at discovery (ServiceInfo); informational.
  std::string service_name;
  std::string service_version;
  // Largest gRPC message accepted or sent, in bytes (the reference proxy accepts 12 MiB).
  size_t max_message_size = 12 * 1024 * 1024;
  // Protocol errors, errors the proxy reports, handler restarts; nullptr for StderrLogSink().
  LogSink log;
};

struct EventSourcedOptions {
  // Namespace of the entity's journal in the proxy; empty: the service's simple name. Two entity
  // services must not share one.
  std::string persistence_id;
  // A snapshot rides along with the events of every command that crosses a multiple of this many
  // events; 0: never.
  int snapshot_every = 100;
  // Idle time after which the proxy passivates an entity; 0: the proxy's default.
  std::chrono::milliseconds passivation_timeout{0};
};

struct ValueEntityOptions {
  std::string persistence_id;  // as for EventSourcedOptions
  std::chrono::milliseconds passivation_timeout{0};
};

struct CrdtOptions {
  std::string persistence_id;  // as for EventSourcedOptions
  std::chrono::milliseconds passivation_timeout{0};  // an entity with open streams is never passivated
};

// Add* before Start; Start once. Start, port, Shutdown and Wait are safe to call from any thread.
// Handlers run on the server's threads: one entity's calls one at a time, different entities and
// calls in parallel, so factories must be thread-safe.
class FunctionServer {
 public:
  explicit FunctionServer(FunctionServerOptions options = {});
  ~FunctionServer();  // shuts down (cancelling open streams) and waits
  FunctionServer(const FunctionServer&) = delete;
  FunctionServer& operator=(const FunctionServer&) = delete;

  // Serves `service` (a gRPC service of the user's protos, e.g. ShoppingCart::descriptor()) as an
  // entity. InvalidArgument when the service is already served, streams, or has a method whose
  // input lacks an entity key field (option cloudstate.entity_key); the descriptor's pool must
  // outlive the server.
  Status AddEventSourced(const google::protobuf::ServiceDescriptor* service, EventSourcedFactory factory,
                         EventSourcedOptions options = {});
  Status AddValueEntity(const google::protobuf::ServiceDescriptor* service, ValueEntityFactory factory,
                        ValueEntityOptions options = {});
  // Serves `service` as a CRDT entity: as AddValueEntity, but server-streaming methods are allowed
  // (their commands arrive streamed; see CrdtCommandContext::OnChange).
  Status AddCrdt(const google::protobuf::ServiceDescriptor* service, CrdtEntityFactory factory,
                 CrdtOptions options = {});
  // Serves `service` as a stateless action; any method shape is allowed.
  Status AddAction(const google::protobuf::ServiceDescriptor* service, ActionFactory factory);

  // Binds and starts serving. InvalidArgument with nothing to serve or when already started;
  // Unavailable when the address cannot be bound.
  Status Start();
  // The bound port after a successful Start, else 0.
  int port() const;
  // Stops taking calls, lets open calls finish for up to `grace`, then cancels them. Idempotent.
  void Shutdown(std::chrono::milliseconds grace = std::chrono::seconds(5));
  // Blocks until the server has shut down (returns at once if it never started).
  void Wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cloudstate
