// The event-sourced model services of the conformance kit (EventSourcedTckModel, EventSourcedTwo,
// EventSourcedConfigured), served through the public function-server API.
#pragma once

#include "cloudstate/function_server.h"
#include "cloudstate/status.h"

namespace cloudstate::tck {

// Adds the three services to `server` with the persistence ids, snapshot interval (5) and
// passivation timeout (100 ms, the configured service) the kit checks at discovery.
Status AddEventSourcedModel(FunctionServer& server);

}  // namespace cloudstate::tck
