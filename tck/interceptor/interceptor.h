// The interceptor: serves the Cloudstate protocol services (discovery, event sourced, value entity,
// CRDT, action) to the proxy under test as if it were the user function, passes every call on to
// the real user function and records every message both ways (recording.h).
#pragma once

#include <memory>
#include <string>

#include "alteration.h"
#include "cloudstate/status.h"
#include "recording.h"

namespace cloudstate::tck {

struct InterceptorOptions {
  // Where the proxy under test reaches the interceptor; port 0 picks a free one.
  std::string address = "127.0.0.1";
  int port = 0;
  // The real user function, "host:port".
  std::string user_function;
  // Alters traffic for the kit's own tests; nullptr relays everything unchanged. Must outlive the
  // interceptor.
  TrafficAlteration* alteration = nullptr;
  int max_message_bytes = 12 * 1024 * 1024;
};

class Interceptor {
 public:
  // Unavailable when the address cannot be bound.
  static Result<std::unique_ptr<Interceptor>> Start(InterceptorOptions options);
  virtual ~Interceptor() = default;

  virtual int port() const = 0;
  virtual Recorder& recorder() = 0;
  // Stops taking calls and cancels the open ones. Idempotent.
  virtual void Shutdown() = 0;
};

}  // namespace cloudstate::tck
