// The gRPC server that carries the protocol, as the handler side sees it: started from a filled
// registry, asked for its port, shut down. The implementation (grpc_transport.cc) is wire side;
// this header names no gRPC or protocol type.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "cloudstate/status.h"
#include "function/registry.h"

namespace cloudstate::function {

struct TransportOptions {
  std::string address;
  int port = 0;
  size_t max_message_size = 0;
};

// Safe to call from any thread.
class Transport {
 public:
  virtual ~Transport() = default;  // shuts down at once if still running
  virtual int port() const = 0;
  virtual void Shutdown(std::chrono::milliseconds grace) = 0;
  virtual void Wait() = 0;
};

// Serves EntityDiscovery, EventSourced, ValueEntity, Crdt and ActionProtocol for `registry`.
// Unavailable when the address cannot be bound.
Result<std::unique_ptr<Transport>> StartGrpcTransport(const TransportOptions& options,
                                                      std::shared_ptr<const Registry> registry);

}  // namespace cloudstate::function
