// Reads the (cloudstate.eventing) annotations of the served services into the event-log consumers
// the sidecar runs (semantics.md §8.1): the methods of one service with the same source form one
// consumer, and within it each method takes the events of its input type (a google.protobuf.Any
// method takes the rest). Annotations this sidecar cannot honour refuse the spec at discovery —
// topics need Pub/Sub support, which it does not have — instead of being silently ignored.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cloudstate/status.h"
#include "proxy/served_services.h"

namespace cloudstate::proxy {

// One consumer: the events of every entity whose persistence id is `event_log`, delivered in journal
// order to methods of `service`. (event_log, consumer_group) names it, and its committed offset.
struct EventLogSubscription {
  std::string event_log;
  std::string consumer_group;  // as annotated, or the service's full name
  const ServedService* service = nullptr;
  std::map<std::string, const ServedMethod*, std::less<>> methods_by_input;  // by input type full name
  const ServedMethod* any_method = nullptr;  // the method taking google.protobuf.Any, if any
};

// InvalidArgument with the first problem found. `services` must outlive the result.
Result<std::vector<EventLogSubscription>> CollectEventLogSubscriptions(const std::vector<ServedService>& services);

}  // namespace cloudstate::proxy
