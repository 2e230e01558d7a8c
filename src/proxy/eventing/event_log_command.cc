#include "proxy/eventing/event_log_command.h"

#include "proxy/entity_key.h"

namespace cloudstate::proxy {
namespace {

bool StartsWith(const std::string& text, std::string_view prefix) { return text.compare(0, prefix.size(), prefix) == 0; }

const ServedMethod* MethodFor(const EventLogSubscription& subscription, const std::string& type_url) {
  // JSON and primitive payloads name no protobuf type: only an Any method can take them.
  if (StartsWith(type_url, "p.cloudstate.io/") || StartsWith(type_url, "json.cloudstate.io/")) {
    return subscription.any_method;
  }
  size_t slash = type_url.find('/');
  std::string type = slash == std::string::npos ? type_url : type_url.substr(slash + 1);
  auto found = subscription.methods_by_input.find(type);
  return found != subscription.methods_by_input.end() ? found->second : subscription.any_method;
}

}  // namespace

Result<EventLogCommand> CommandForEvent(const EventLogSubscription& subscription, const FeedEvent& event) {
  const std::string& type_url = event.payload.type_url();
  const ServedMethod* method = MethodFor(subscription, type_url);
  if (method == nullptr) {
    return Status::NotFound("No method can be found to handle protobuf type of [" + type_url + "] on input event log [" +
                            subscription.event_log + "] of " + subscription.service->name +
                            ". Either declare a method for this type, or declare a method that accepts "
                            "google.protobuf.Any.");
  }
  EventLogCommand out;
  out.method = method;
  EntityCommand& command = out.command;
  command.entity_type = subscription.service->name;
  command.name = method->descriptor->name();
  command.payload = event.payload;  // an Any method takes the event's Any itself, JSON or not
  command.metadata = {{"ce-id", std::to_string(event.offset)},
                      {"ce-source", subscription.event_log},
                      {"ce-specversion", "1.0"},
                      {"ce-type", type_url},
                      {"Content-Type", kEventLogContentType},
                      {"ce-subject", event.entity_id}};
  if (subscription.service->kind != EntityKind::kAction) {
    Result<std::string> id = ExtractEntityId(command.payload.value(), method->key_fields);
    if (!id.ok()) return id.status();
    command.entity_id = std::move(*id);
  }
  return out;
}

}  // namespace cloudstate::proxy
