// Serves one server-streaming call of an entity method to a gRPC client: the request becomes one
// streamed command routed by its entity id through the engine (SendStreamed); the command's reply
// and every later message of the entity are written to the client in order, the first reply's
// metadata become the response headers, and the call ends with the stream's end (a failure as
// its status). A client that cancels or goes away cancels the command's stream, so the entity
// hears of it. Entity types that do not stream send their reply as the only message.
#pragma once

#include <grpcpp/generic/async_generic_service.h>

#include "cloudstate/engine.h"
#include "proxy/call_meter.h"
#include "proxy/served_services.h"

namespace cloudstate::proxy {

// `method` must be server-streaming only and belong to the entity `service`; both and the engine
// must outlive the call. The status the client gets is recorded on `meter`. The reactor deletes
// itself when gRPC is done with it.
grpc::ServerGenericBidiReactor* NewStreamedEntityCall(grpc::GenericCallbackServerContext* context,
                                                      const ServedService& service, const ServedMethod& method,
                                                      Engine& engine, CallMeter meter);

}  // namespace cloudstate::proxy
