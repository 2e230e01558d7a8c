// What a protocol session answers to one incoming message: maybe a message to send, and whether the
// call then ends. Sessions are pure state machines over protocol messages; the gRPC reactors in
// grpc_entity_services.cc drive them.
#pragma once

#include <optional>

#include "cloudstate/status.h"

namespace cloudstate::function {

template <typename Out>
struct SessionStep {
  std::optional<Out> out;  // sent before anything else happens on the call
  bool finish = false;  // end the call (after sending `out`) with `status`
  Status status;
};

}  // namespace cloudstate::function
