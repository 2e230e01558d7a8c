#include <doctest/doctest.h>

#include "descriptor_test_util.h"
#include "keyed.pb.h"
#include "proxy/descriptor_set.h"
#include "proxy/served_services.h"

namespace pt = cloudstate::proxytest;
using cloudstate::proxy::EntityKind;
using cloudstate::proxy::SupportedTypes;
using cloudstate::proxy::ValidateEntitySpec;

namespace {

struct Spec {
  Spec() {
    *spec.mutable_proto() = pt::SetOf(pt::StringKey::descriptor()->file()).SerializeAsString();
    spec.mutable_service_info()->set_protocol_major_version(0);
    spec.mutable_service_info()->set_protocol_minor_version(2);
    pool = std::move(*cloudstate::proxy::BuildDescriptorPool(spec.proto()));
  }
  Spec& Add(const std::string& service, const std::string& type, const std::string& persistence_id = "pid") {
    auto* entity = spec.add_entities();
    entity->set_service_name("cloudstate.proxytest." + service);
    entity->set_entity_type(type);
    entity->set_persistence_id(persistence_id);
    return *this;
  }
  cloudstate::Result<cloudstate::proxy::ValidatedSpec> Validate(SupportedTypes supported = {}) {
    return ValidateEntitySpec(spec, *pool, supported);
  }
  std::string Error(SupportedTypes supported = {}) {
    auto result = Validate(supported);
    REQUIRE_FALSE(result.ok());
    return result.status().message();
  }

  cloudstate::EntitySpec spec;
  std::unique_ptr<google::protobuf::DescriptorPool> pool;
};

}  // namespace

TEST_CASE("a valid spec lists its services with kinds, persistence ids, methods and keys") {
  Spec s;
  s.Add("Keyed", "cloudstate.eventsourced.EventSourced", "keyed");
  s.spec.mutable_entities(0)->mutable_passivation_strategy()->mutable_timeout()->set_timeout(100);
  s.Add("Streaming", "cloudstate.crdt.Crdt");
  s.Add("ClientStreaming", "cloudstate.action.ActionProtocol");
  auto result = s.Validate();
  REQUIRE_MESSAGE(result.ok(), result.status().ToString());
  REQUIRE(result->services.size() == 3);
  const auto& keyed = result->services[0];
  CHECK(keyed.kind == EntityKind::kEventSourced);
  CHECK(keyed.persistence_id == "keyed");
  CHECK(keyed.passivation_timeout == std::chrono::milliseconds(100));
  REQUIRE(keyed.methods.count("ByTwo") == 1);
  CHECK(keyed.methods.at("ByTwo").key_fields.size() == 2);
  CHECK(keyed.methods.at("ByTwo").input_type_url == "type.googleapis.com/cloudstate.proxytest.TwoKeys");
  CHECK(keyed.methods.at("ByTwo").output_type_url == "type.googleapis.com/google.protobuf.Empty");
  CHECK(result->services[1].kind == EntityKind::kCrdt);
  CHECK(result->services[2].kind == EntityKind::kAction);
  CHECK(result->warnings.empty());
}

TEST_CASE("protocol versions: 0.2 and undeclared pass, another major is refused") {
  Spec s;
  s.Add("Keyed", "cloudstate.valueentity.ValueEntity");
  s.spec.clear_service_info();
  auto undeclared = s.Validate();
  REQUIRE(undeclared.ok());
  CHECK(undeclared->warnings.size() == 1);
  s.spec.mutable_service_info()->set_protocol_major_version(1);
  s.spec.mutable_service_info()->set_protocol_minor_version(0);
  CHECK(s.Error() == "Incompatible protocol version 1.0, only 0.2 is supported");
}

TEST_CASE("the reference's discovery errors") {
  Spec none;
  CHECK(none.Error() == "No entities were reported by the discover call!");

  Spec unknown;
  unknown.Add("Nowhere", "cloudstate.eventsourced.EventSourced");
  CHECK(unknown.Error() == "Service [cloudstate.proxytest.Nowhere] not found in descriptors!");

  Spec bad_type;
  bad_type.Add("Keyed", "cloudstate.Bogus");
  CHECK(bad_type.Error() == "Service [cloudstate.proxytest.Keyed] has declared an unsupported entity type "
                            "[cloudstate.Bogus]. Supported types are cloudstate.eventsourced.EventSourced,"
                            "cloudstate.valueentity.ValueEntity,cloudstate.crdt.Crdt,cloudstate.action.ActionProtocol");

  Spec no_journal;
  no_journal.Add("Keyed", "cloudstate.eventsourced.EventSourced");
  SupportedTypes without_journal;
  without_journal.event_sourced = false;
  CHECK(no_journal.Error(without_journal).find("does not have a configured store") != std::string::npos);
}

TEST_CASE("per-type method rules") {
  Spec streamed;
  streamed.Add("Streaming", "cloudstate.eventsourced.EventSourced");
  CHECK(streamed.Error() == "Event sourced entities do not support streamed methods, but "
                            "cloudstate.proxytest.Streaming has the following streamed methods: Watch");

  Spec keyless;
  keyless.Add("Keyless", "cloudstate.valueentity.ValueEntity");
  CHECK(keyless.Error() == "Value based entities do not support methods whose parameters do not have at least one "
                           "field marked as entity_key, but cloudstate.proxytest.Keyless has the following methods "
                           "without keys: Get");

  Spec crdt_in;
  crdt_in.Add("ClientStreaming", "cloudstate.crdt.Crdt");
  CHECK(crdt_in.Error() == "CRDT entities do not support streaming in from the client, but "
                           "cloudstate.proxytest.ClientStreaming has the following streamed methods: Upload");

  Spec bytes_key;
  bytes_key.Add("BadKey", "cloudstate.eventsourced.EventSourced");
  CHECK(bytes_key.Error().find("BadKey has these key fields of other types: Get.id") != std::string::npos);

  Spec actions;
  actions.Add("Keyless", "cloudstate.action.ActionProtocol");
  actions.Add("ClientStreaming", "cloudstate.action.ActionProtocol");
  CHECK(actions.Validate().ok());
}
