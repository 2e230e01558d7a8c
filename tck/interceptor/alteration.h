// A hook that alters the traffic the interceptor relays, so the kit's own tests can show that a
// misbehaving proxy (or user function) makes exactly the affected cases fail. Not reachable from
// the command line: only a program that builds an Interceptor itself can install one.
#pragma once

#include <google/protobuf/message.h>

#include "recording.h"

namespace cloudstate::tck {

class TrafficAlteration {
 public:
  enum class Verdict {
    kPass,      // relay `message` (possibly changed in place) and record it
    kDrop,      // neither relay nor record it
    kWithhold,  // a message to the proxy: hold it until the proxy ends its side of the call, then
                // drop it, as a reply that comes after any timeout would be; elsewhere like kDrop
  };

  virtual ~TrafficAlteration() = default;

  // Called for every message before it is relayed, on the relay's threads (concurrently for
  // different calls). `connection.service()` is known from the call's first message on.
  virtual Verdict Alter(const Connection& connection, Direction direction, google::protobuf::Message& message) = 0;
};

}  // namespace cloudstate::tck
