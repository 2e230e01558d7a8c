// The CRDT model services of the conformance kit (CrdtTckModel, CrdtTwo, CrdtConfigured), served
// through the public function-server API.
#pragma once

#include "cloudstate/function_server.h"
#include "cloudstate/status.h"

namespace cloudstate::tck {

// Adds the three services to `server`; the configured one declares the 100 ms passivation timeout
// the kit checks at discovery.
Status AddCrdtModel(FunctionServer& server);

}  // namespace cloudstate::tck
