// The sidecar: serves a user function's services to clients with the engine keeping their state.
// Start() opens the store and begins discovery (retried with backoff until the user function
// answers); once the spec is valid the services are registered and the client port opens.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "cloudstate/log.h"
#include "cloudstate/status.h"
#include "cloudstate/store_registry.h"

namespace cloudstate::proxy {

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
  LogSink log;
};

class Sidecar {
 public:
  static Result<std::unique_ptr<Sidecar>> Start(SidecarOptions options);
  virtual ~Sidecar() = default;

  // OK once serving; the discovery error when the user function's spec was refused (final);
  // DeadlineExceeded when neither happened within `timeout`.
  virtual Status WaitUntilReady(std::chrono::milliseconds timeout) = 0;
  virtual bool Ready() const = 0;
  // The client port (useful with port 0); 0 before ready.
  virtual int port() const = 0;
  // Stops taking calls, lets those in flight finish for up to `grace`, closes the user function's
  // streams and the store.
  virtual void Shutdown(std::chrono::milliseconds grace) = 0;
};

}  // namespace cloudstate::proxy
