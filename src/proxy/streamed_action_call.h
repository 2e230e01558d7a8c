// Serves one streamed call of an action method to a gRPC client, as one streamed ActionProtocol call
// to the user function: client streaming -> handleStreamedIn, server streaming -> handleStreamedOut,
// bidirectional -> handleStreamed. Each ActionResponse is routed through the engine in the order the
// function sent it (side effects run, a forward is answered by its target), and its reply written to
// the client; the string metadata of the first reply become the response headers. A failure ends
// the call with UNKNOWN and its description and cancels the function's call; otherwise the call
// ends with the status the function ended its stream with. A client that cancels cancels the
// function's call.
#pragma once

#include <grpcpp/generic/async_generic_service.h>

#include <memory>

#include "engine/engine_extensions.h"
#include "proxy/bridge_context.h"
#include "proxy/call_meter.h"
#include "proxy/served_services.h"

namespace cloudstate::proxy {

// The status the client gets is recorded on `meter`.
// `method` must stream in at least one direction and belong to the action `service`; both, the
// engine and `bridges` must outlive the call. The reactor deletes itself when gRPC is done with it.
grpc::ServerGenericBidiReactor* NewStreamedActionCall(grpc::GenericCallbackServerContext* context,
                                                      const ServedService& service, const ServedMethod& method,
                                                      EngineExtensions& engine,
                                                      std::shared_ptr<const BridgeContext> bridges, CallMeter meter);

}  // namespace cloudstate::proxy
