// Discovery against the user function: which services it serves, as what entity types. Asked with
// the reference's ProxyInfo; problems with the answer are reported back with reportError.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "cloudstate/entity.pb.h"
#include "cloudstate/status.h"
#include "proxy/call_tracker.h"
#include "proxy/served_services.h"

namespace cloudstate::proxy {

inline constexpr char kProxyName[] = "cloudstate-cpp";
inline constexpr char kProxyVersion[] = "0.1.0";

// One discover call; Unavailable when the user function does not answer (yet).
Result<cloudstate::EntitySpec> Discover(grpc::Channel& channel, const SupportedTypes& supported,
                                        std::chrono::milliseconds timeout);

// Tells the user function what it did wrong; best effort, the outcome is ignored.
void ReportError(grpc::Channel& channel, const std::string& message);
// The same without waiting, for gRPC callback threads, which must not block.
void ReportErrorAsync(const std::shared_ptr<grpc::Channel>& channel, CallTracker& calls, const std::string& message);

}  // namespace cloudstate::proxy
