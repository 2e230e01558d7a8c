// Turns one event of an event log into the command that delivers it to its consumer's method
// (semantics.md §8.2, §8.4, §8.5): the payload is the event's Any as stored, the metadata are the
// CloudEvent attributes in binary mode (ce-id = the feed offset, ce-source = the log's name,
// ce-subject = the entity id), and the method is the one whose input type the event has, else
// the one taking google.protobuf.Any.
#pragma once

#include "cloudstate/command.h"
#include "cloudstate/status.h"
#include "cloudstate/store.h"
#include "proxy/eventing/event_log_subscriptions.h"

namespace cloudstate::proxy {

// The content type event-log events travel with: the data is the bytes of an Any's value.
inline constexpr char kEventLogContentType[] = "application/vnd.cloudstate.protobuf.any";

struct EventLogCommand {
  const ServedMethod* method = nullptr;
  EntityCommand command;  // for an entity: the id its key fields give
};

// NotFound when no method of the consumer takes the event's type; InvalidArgument when an entity
// method's key fields cannot be read from the event.
Result<EventLogCommand> CommandForEvent(const EventLogSubscription& subscription, const FeedEvent& event);

}  // namespace cloudstate::proxy
