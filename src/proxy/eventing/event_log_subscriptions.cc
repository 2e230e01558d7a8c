#include "proxy/eventing/event_log_subscriptions.h"

#include <google/protobuf/unknown_field_set.h>

#include <optional>
#include <tuple>

#include "cloudstate/eventing.pb.h"

namespace cloudstate::proxy {
namespace {

constexpr int kEventingOption = 1081;
constexpr char kAnyType[] = "google.protobuf.Any";

// The method's eventing annotation: parsed, or (from a pool that did not know the extension) left
// among the unknown fields of its options.
std::optional<cloudstate::Eventing> EventingOf(const google::protobuf::MethodDescriptor& method) {
  const auto& options = method.options();
  if (options.HasExtension(cloudstate::eventing)) return options.GetExtension(cloudstate::eventing);
  const auto& unknown = options.unknown_fields();
  for (int i = 0; i < unknown.field_count(); ++i) {
    const auto& field = unknown.field(i);
    if (field.number() != kEventingOption || field.type() != google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
      continue;
    }
    cloudstate::Eventing eventing;
    if (eventing.ParseFromString(field.length_delimited())) return eventing;
  }
  return std::nullopt;
}

Status CheckDestination(const std::string& method, const cloudstate::Eventing& eventing) {
  if (!eventing.has_out()) return Status::Ok();
  const auto& out = eventing.out();
  if (out.destination_case() == cloudstate::EventDestination::DESTINATION_NOT_SET) {
    return Status::InvalidArgument("Service call [" + method + "] has declared an event out with no topic.");
  }
  if (eventing.has_in() && eventing.in().source_case() == cloudstate::EventSource::kTopic &&
      eventing.in().topic() == out.topic()) {
    return Status::InvalidArgument("Endpoint [" + method + "] has the same input topic as output topic [" +
                                   out.topic() + "], this is not allowed.");
  }
  return Status::InvalidArgument("Service call [" + method + "] declares an event destination topic of [" +
                                 out.topic() + "], but no topic support is configured.");
}

Status CheckSource(const std::string& method, const cloudstate::EventSource& in) {
  switch (in.source_case()) {
    case cloudstate::EventSource::kEventLog:
      if (in.event_log().empty()) {
        return Status::InvalidArgument("Eventing consumer [" + method + "] has declared an empty event log name.");
      }
      return Status::Ok();
    case cloudstate::EventSource::kTopic:
      return Status::InvalidArgument("Eventing consumer [" + method + "] has declared a topic event source [" +
                                     in.topic() + "], but no topic support is configured.");
    case cloudstate::EventSource::SOURCE_NOT_SET: break;
  }
  return Status::InvalidArgument("Eventing consumer [" + method + "] has declared an input with no source.");
}

// Entities take commands by key, one message at a time: a stream cannot carry an event to one.
Status CheckConsumerKind(const ServedService& service, const ServedMethod& method) {
  if (service.kind == EntityKind::kAction) return Status::Ok();
  if (!method.descriptor->client_streaming() && !method.descriptor->server_streaming()) return Status::Ok();
  return Status::InvalidArgument("Eventing consumer [" + method.descriptor->full_name() +
                                 "] is a streamed method of an entity; only unary entity methods can consume events.");
}

}  // namespace

Result<std::vector<EventLogSubscription>> CollectEventLogSubscriptions(const std::vector<ServedService>& services) {
  std::vector<EventLogSubscription> subscriptions;
  // Which service's consumer owns each (event log, consumer group): they share one committed offset.
  std::map<std::tuple<std::string, std::string>, const ServedService*> owners;
  for (const auto& service : services) {
    // Methods in declaration order, so that errors name the first offender as the proto reads.
    for (int i = 0; i < service.descriptor->method_count(); ++i) {
      const auto* descriptor = service.descriptor->method(i);
      const ServedMethod& method = service.methods.at(descriptor->name());
      const std::string full_name = descriptor->full_name();
      std::optional<cloudstate::Eventing> eventing = EventingOf(*descriptor);
      if (!eventing || (!eventing->has_in() && !eventing->has_out())) continue;
      if (Status status = CheckDestination(full_name, *eventing); !status.ok()) return status;
      if (Status status = CheckSource(full_name, eventing->in()); !status.ok()) return status;
      if (Status status = CheckConsumerKind(service, method); !status.ok()) return status;

      const auto& in = eventing->in();
      std::string group = in.consumer_group().empty() ? service.name : in.consumer_group();
      auto [owner, inserted] = owners.emplace(std::make_tuple(in.event_log(), group), &service);
      if (!inserted && owner->second != &service) {
        return Status::InvalidArgument("Services [" + owner->second->name + "] and [" + service.name +
                                       "] both consume event log [" + in.event_log() + "] in consumer group [" +
                                       group + "]; give one of them its own consumer_group.");
      }
      EventLogSubscription* subscription = nullptr;
      for (auto& candidate : subscriptions) {
        if (candidate.service == &service && candidate.event_log == in.event_log() && candidate.consumer_group == group) {
          subscription = &candidate;
        }
      }
      if (subscription == nullptr) {
        subscription = &subscriptions.emplace_back();
        subscription->event_log = in.event_log();
        subscription->consumer_group = group;
        subscription->service = &service;
      }
      const std::string input = descriptor->input_type()->full_name();
      auto [slot, fresh] = subscription->methods_by_input.emplace(input, &method);
      if (!fresh) {
        return Status::InvalidArgument(
            "Endpoints [" + slot->second->descriptor->full_name() + "] and [" + full_name +
            "] both subscribe to the same event source with the same input type. If you wish to define two "
            "independent consumers of the same event source, use the consumer_group annotation on the source to "
            "identify them.");
      }
      if (input == kAnyType) subscription->any_method = &method;
    }
  }
  return subscriptions;
}

}  // namespace cloudstate::proxy
