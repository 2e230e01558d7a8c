// Delivers the events of one subscription to the user function (semantics.md §8.6, §8.7): a unary
// action method gets one handleUnary call, a streamed one a one-message stream whose every response
// is a result, an entity method a command through the engine. Forwards and side effects of the
// results run through the engine as for a client's call; the results themselves go nowhere (this
// sidecar has no topic destinations), so a failure the function replies counts as processed. What
// makes a delivery fail — and the consumer start over — is a call that did not complete: the
// function unreachable, its stream broken, the relay timeout, a store or engine error.
#pragma once

#include <memory>

#include "cloudstate/engine.h"
#include "proxy/bridge_context.h"
#include "proxy/eventing/event_log_consumer.h"
#include "proxy/eventing/event_log_subscriptions.h"

namespace cloudstate::proxy {

// `subscription` (and the services it points into), `engine` and `bridges` must outlive the result.
EventDeliverer MakeEventLogDeliverer(const EventLogSubscription& subscription, Engine& engine,
                                     std::shared_ptr<const BridgeContext> bridges);

}  // namespace cloudstate::proxy
