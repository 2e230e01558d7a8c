// The value-entity model services of the conformance kit (ValueEntityTckModel, ValueEntityTwo,
// ValueEntityConfigured), served through the public function-server API.
#pragma once

#include "cloudstate/function_server.h"
#include "cloudstate/status.h"

namespace cloudstate::tck {

// Adds the three services to `server` with the persistence ids and the passivation timeout
// (100 ms, the configured service) the kit checks at discovery.
Status AddValueEntityModel(FunctionServer& server);

}  // namespace cloudstate::tck
