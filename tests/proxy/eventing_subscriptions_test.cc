// Reading eventing annotations into event-log consumers (semantics.md §8.1) and turning a feed event
// into the command for its method (§8.2, §8.4, §8.5), over descriptors of a compiled test proto.
#include <doctest/doctest.h>

#include <google/protobuf/any.pb.h>

#include "descriptor_test_util.h"
#include "eventing_annotated.pb.h"
#include "proxy/descriptor_set.h"
#include "proxy/eventing/event_log_command.h"
#include "proxy/eventing/event_log_subscriptions.h"
#include "proxy/served_services.h"

namespace pt = cloudstate::proxytest;
namespace ev = cloudstate::proxytest::eventing;
using cloudstate::proxy::CollectEventLogSubscriptions;
using cloudstate::proxy::CommandForEvent;
using cloudstate::proxy::EventLogSubscription;

namespace {

constexpr char kAction[] = "cloudstate.action.ActionProtocol";
constexpr char kValueEntity[] = "cloudstate.valueentity.ValueEntity";

struct Services {
  Services() {
    *spec.mutable_proto() = pt::SetOf(ev::Opened::descriptor()->file()).SerializeAsString();
    spec.mutable_service_info()->set_protocol_major_version(0);
    spec.mutable_service_info()->set_protocol_minor_version(2);
    pool = std::move(*cloudstate::proxy::BuildDescriptorPool(spec.proto()));
  }
  Services& Add(const std::string& service, const std::string& type = kAction) {
    auto* entity = spec.add_entities();
    entity->set_service_name("cloudstate.proxytest.eventing." + service);
    entity->set_entity_type(type);
    if (type != kAction) entity->set_persistence_id(service);
    return *this;
  }
  cloudstate::Result<std::vector<EventLogSubscription>> Collect() {
    auto validated = cloudstate::proxy::ValidateEntitySpec(spec, *pool, {});
    REQUIRE_MESSAGE(validated.ok(), validated.status().ToString());
    served = std::move(validated->services);
    return CollectEventLogSubscriptions(served);
  }
  std::string Error() {
    auto result = Collect();
    REQUIRE_FALSE(result.ok());
    return result.status().message();
  }

  cloudstate::EntitySpec spec;
  std::unique_ptr<google::protobuf::DescriptorPool> pool;
  std::vector<cloudstate::proxy::ServedService> served;
};

std::string MethodOf(const cloudstate::proxy::ServedMethod* method) {
  return method == nullptr ? "<none>" : method->descriptor->name();
}

cloudstate::FeedEvent Event(int64_t offset, const std::string& entity_id, const google::protobuf::Message& message) {
  cloudstate::FeedEvent event;
  event.offset = offset;
  event.entity_id = entity_id;
  event.sequence = 1;
  event.payload.PackFrom(message);
  return event;
}

ev::Opened Opened(const std::string& account) {
  ev::Opened opened;
  opened.set_account(account);
  return opened;
}

}  // namespace

TEST_CASE("methods with the same source form one consumer, indexed by input type") {
  Services s;
  s.Add("Audit");
  auto subscriptions = s.Collect();
  REQUIRE_MESSAGE(subscriptions.ok(), subscriptions.status().ToString());
  REQUIRE(subscriptions->size() == 2);
  const EventLogSubscription& audit = (*subscriptions)[0];
  CHECK(audit.event_log == "accounts");
  CHECK(audit.consumer_group == "cloudstate.proxytest.eventing.Audit");  // the service, when not annotated
  CHECK(audit.methods_by_input.size() == 3);
  CHECK(MethodOf(audit.methods_by_input.at("cloudstate.proxytest.eventing.Opened")) == "OnOpened");
  CHECK(MethodOf(audit.methods_by_input.at("cloudstate.proxytest.eventing.Closed")) == "OnClosed");
  CHECK(MethodOf(audit.any_method) == "OnAnything");
  const EventLogSubscription& tail = (*subscriptions)[1];
  CHECK(tail.event_log == "accounts");
  CHECK(tail.consumer_group == "tail");
  CHECK(MethodOf(tail.methods_by_input.at("cloudstate.proxytest.eventing.Opened")) == "Tail");
  CHECK(tail.any_method == nullptr);
}

TEST_CASE("methods without an eventing source make no consumer") {
  Services s;
  s.Add("Quiet");
  auto subscriptions = s.Collect();
  REQUIRE(subscriptions.ok());
  CHECK(subscriptions->empty());
}

TEST_CASE("annotations this sidecar cannot honour refuse the spec with the reference's words") {
  CHECK(Services().Add("TopicIn").Error() ==
        "Eventing consumer [cloudstate.proxytest.eventing.TopicIn.On] has declared a topic event source [opened], "
        "but no topic support is configured.");
  CHECK(Services().Add("TopicOut").Error() ==
        "Service call [cloudstate.proxytest.eventing.TopicOut.On] declares an event destination topic of [audited], "
        "but no topic support is configured.");
  CHECK(Services().Add("SameTopic").Error() ==
        "Endpoint [cloudstate.proxytest.eventing.SameTopic.On] has the same input topic as output topic [loop], this "
        "is not allowed.");
  CHECK(Services().Add("NoSource").Error() ==
        "Eventing consumer [cloudstate.proxytest.eventing.NoSource.On] has declared an input with no source.");
  CHECK(Services().Add("NoDestination").Error() ==
        "Service call [cloudstate.proxytest.eventing.NoDestination.On] has declared an event out with no topic.");
  CHECK(Services().Add("SameInput").Error() ==
        "Endpoints [cloudstate.proxytest.eventing.SameInput.First] and [cloudstate.proxytest.eventing.SameInput.Second] "
        "both subscribe to the same event source with the same input type. If you wish to define two independent "
        "consumers of the same event source, use the consumer_group annotation on the source to identify them.");
  CHECK(Services().Add("SharedGroupA").Add("SharedGroupB").Error() ==
        "Services [cloudstate.proxytest.eventing.SharedGroupA] and [cloudstate.proxytest.eventing.SharedGroupB] both "
        "consume event log [accounts] in consumer group [shared]; give one of them its own consumer_group.");
  CHECK(Services().Add("Watcher", "cloudstate.crdt.Crdt").Error() ==
        "Eventing consumer [cloudstate.proxytest.eventing.Watcher.Watch] is a streamed method of an entity; only unary "
        "entity methods can consume events.");
}

TEST_CASE("an event becomes a command with CloudEvent metadata for the method of its type") {
  Services s;
  s.Add("Audit");
  auto subscriptions = s.Collect();
  REQUIRE(subscriptions.ok());
  const EventLogSubscription& audit = (*subscriptions)[0];

  auto opened = CommandForEvent(audit, Event(42, "acc|7:x", Opened("acc-7")));
  REQUIRE_MESSAGE(opened.ok(), opened.status().ToString());
  CHECK(MethodOf(opened->method) == "OnOpened");
  CHECK(opened->command.entity_type == "cloudstate.proxytest.eventing.Audit");
  CHECK(opened->command.entity_id.empty());  // actions have none
  CHECK(opened->command.name == "OnOpened");
  CHECK(opened->command.payload.type_url() == "type.googleapis.com/cloudstate.proxytest.eventing.Opened");
  CHECK(opened->command.payload.value() == Opened("acc-7").SerializeAsString());
  CHECK(opened->command.metadata ==
        cloudstate::MetadataEntries{{"ce-id", "42"},
                                    {"ce-source", "accounts"},
                                    {"ce-specversion", "1.0"},
                                    {"ce-type", "type.googleapis.com/cloudstate.proxytest.eventing.Opened"},
                                    {"Content-Type", "application/vnd.cloudstate.protobuf.any"},
                                    {"ce-subject", "acc|7:x"}});

  // A type no method takes goes to the Any method, as do JSON and primitive events, as they are.
  google::protobuf::Any other = Event(1, "a", google::protobuf::Any()).payload;
  auto fallback = CommandForEvent(audit, Event(43, "a", other));
  REQUIRE(fallback.ok());
  CHECK(MethodOf(fallback->method) == "OnAnything");
  cloudstate::FeedEvent json;
  json.offset = 44;
  json.payload.set_type_url("json.cloudstate.io/cloudstate.proxytest.eventing.Opened");
  json.payload.set_value("\x0a\x02{}");
  auto to_any = CommandForEvent(audit, json);
  REQUIRE(to_any.ok());
  CHECK(MethodOf(to_any->method) == "OnAnything");  // even though a method takes Opened
  CHECK(to_any->command.payload.type_url() == json.payload.type_url());
  CHECK(to_any->command.payload.value() == json.payload.value());
  json.payload.set_type_url("p.cloudstate.io/string");
  CHECK(MethodOf(CommandForEvent(audit, json)->method) == "OnAnything");
}

TEST_CASE("an event no method takes stops the consumer with a message that says what to declare") {
  Services s;
  s.Add("Audit");
  auto subscriptions = s.Collect();
  REQUIRE(subscriptions.ok());
  const EventLogSubscription& tail = (*subscriptions)[1];
  auto missing = CommandForEvent(tail, Event(5, "a", ev::Closed()));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == cloudstate::StatusCode::kNotFound);
  CHECK(missing.status().message() ==
        "No method can be found to handle protobuf type of [type.googleapis.com/cloudstate.proxytest.eventing.Closed] "
        "on input event log [accounts] of cloudstate.proxytest.eventing.Audit. Either declare a method for this type, "
        "or declare a method that accepts google.protobuf.Any.");
}

TEST_CASE("an entity method takes the entity id from the event's key field") {
  Services s;
  s.Add("Ledger", kValueEntity);
  auto subscriptions = s.Collect();
  REQUIRE(subscriptions.ok());
  auto command = CommandForEvent((*subscriptions)[0], Event(9, "source-entity", Opened("acc-9")));
  REQUIRE_MESSAGE(command.ok(), command.status().ToString());
  CHECK(command->command.entity_type == "cloudstate.proxytest.eventing.Ledger");
  CHECK(command->command.entity_id == "acc-9");
  CHECK(command->command.metadata.back() == std::make_pair(std::string("ce-subject"), std::string("source-entity")));
}

TEST_CASE("the consumer offsets' persistence id is kept from entity services") {
  Services s;
  s.Add("Ledger", kValueEntity);
  s.spec.mutable_entities(0)->set_persistence_id("cloudstate.eventing.consumer-offsets");
  auto validated = cloudstate::proxy::ValidateEntitySpec(s.spec, *s.pool, {});
  REQUIRE_FALSE(validated.ok());
  CHECK(validated.status().message() ==
        "Service [cloudstate.proxytest.eventing.Ledger] uses the persistence id cloudstate.eventing.consumer-offsets, "
        "which the sidecar keeps for itself");
}
