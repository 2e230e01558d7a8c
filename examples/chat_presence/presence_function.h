// Registers the presence service with a function server as a CRDT entity.
#pragma once

#include "cloudstate/function_server.h"

namespace chat_presence {

cloudstate::Status AddPresence(cloudstate::FunctionServer& server);

}  // namespace chat_presence
