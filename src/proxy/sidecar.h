// The sidecar: serves a user function's services to clients with the engine keeping their state.
// Start() opens the store, binds the client port and begins discovery (retried with backoff until
// the user function answers); once the spec is valid the services are registered and served.
// The client port speaks gRPC and HTTP/1.1: GET /live answers from the start, GET /ready once the
// services are served, GET /metrics the Prometheus metrics. gRPC connections made before then are
// held, and their calls served once the services are (within each call's deadline); after a
// refused discovery they get UNAVAILABLE with the reason.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "cloudstate/log.h"
#include "cloudstate/status.h"
#include "cloudstate/store_registry.h"

namespace cloudstate {
class Replicator;
}  // namespace cloudstate

namespace cloudstate::proxy {

class MetricsRegistry;

// Defaults are the reference proxy's (semantics.md §2) where it has one.
struct SidecarOptions {
  std::string bind_address = "0.0.0.0";
  int port = 9000;  // 0 picks a free port
  std::string user_function_host = "127.0.0.1";
  int user_function_port = 8080;
  StoreOptions store;
  int worker_threads = 0;
  std::chrono::milliseconds passivation_timeout{30'000};
  std::chrono::milliseconds relay_timeout{60'000};
  std::chrono::milliseconds backoff_min{1'000};
  std::chrono::milliseconds backoff_max{10'000};
  int max_inbound_message_bytes = 12 * 1024 * 1024;
  // Largest HTTP/1.1 request body accepted (larger ones get 413).
  size_t max_http_body_bytes = 12 * 1024 * 1024;
  LogSink log;
  // Event-log consumers (semantics.md §8.2): how often one that has caught up looks for new events,
  // and how long it waits before starting over after a failure (doubling from min to max).
  std::chrono::milliseconds eventing_poll_interval{100};
  std::chrono::milliseconds eventing_backoff_min{3'000};
  std::chrono::milliseconds eventing_backoff_max{30'000};
  // Carries CRDT changes to and from other nodes and decides when a write consistency is met;
  // nullptr: one node (the local replicator). The cluster plugin's seam.
  std::shared_ptr<Replicator> replicator;
};

class Sidecar {
 public:
  // Unavailable when the client port cannot be bound.
  static Result<std::unique_ptr<Sidecar>> Start(SidecarOptions options);
  virtual ~Sidecar() = default;

  // OK once serving; the discovery error when the user function's spec was refused (final);
  // DeadlineExceeded when neither happened within `timeout`.
  virtual Status WaitUntilReady(std::chrono::milliseconds timeout) = 0;
  // True while the services are served: after discovery, until Shutdown begins.
  virtual bool Ready() const = 0;
  // The bound client port (useful with port 0), from Start on.
  virtual int port() const = 0;
  // Stops accepting connections, reports not ready, lets the calls and requests in flight finish
  // for up to `grace`, then closes every connection, the user function's streams and the store.
  // Idempotent; a concurrent call waits for the first.
  virtual void Shutdown(std::chrono::milliseconds grace) = 0;

  // The sidecar's metrics (also served at GET /metrics). Lives as long as the sidecar.
  virtual MetricsRegistry& metrics() = 0;
};

}  // namespace cloudstate::proxy
