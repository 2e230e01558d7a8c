// The event-log eventing model services of the conformance kit: EventSourcedEntityOne and
// EventSourcedEntityTwo emit what they are asked to, EventLogSubscriberModel (an action subscribed
// to their event logs) answers each consumed event with a reply or a forward naming the emitter.
#pragma once

#include "cloudstate/function_server.h"
#include "cloudstate/status.h"

namespace cloudstate::tck {

// Adds the three services to `server`; the entities' persistence ids are the event logs the
// subscriber's methods name ("eventlogeventing-one", "eventlogeventing-two").
Status AddEventingModel(FunctionServer& server);

}  // namespace cloudstate::tck
