// The keyed counter (counter.proto) as an event-sourced entity on our function server: Add emits
// its Increment and replies with the new value; Get replies with the value. Snapshots every 100
// events keep activations short however long a benchmark runs.
#pragma once

#include "cloudstate/function_server.h"

namespace cloudstate::bench {

Status AddCounter(FunctionServer& server);

}  // namespace cloudstate::bench
