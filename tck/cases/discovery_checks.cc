#include "discovery_checks.h"

#include <google/protobuf/descriptor.pb.h>

namespace cloudstate::tck {

void ExpectDeclared(const Tck& tck, const std::string& service) {
  google::protobuf::FileDescriptorSet files;
  if (!files.ParseFromString(tck.spec().proto())) {
    Fail("the spec's descriptor set does not parse", "a FileDescriptorSet", "unparseable bytes");
  }
  for (const auto& file : files.file()) {
    for (const auto& declared : file.service()) {
      std::string name = file.package().empty() ? declared.name() : file.package() + "." + declared.name();
      if (name == service) return;
    }
  }
  Fail("a service is not declared in the spec's descriptor set", service, "not declared");
}

void ExpectEntity(const Tck& tck, const std::string& service, const std::string& entity_type,
                  std::optional<std::string> persistence_id, std::optional<std::chrono::milliseconds> passivation) {
  const ::cloudstate::Entity* entity = tck.Entity(service);
  if (entity == nullptr) Fail("the spec has no entity for a service", service, "no entity");
  ExpectTrue(entity->entity_type() == entity_type, "entity type of " + service, entity_type, entity->entity_type());
  if (persistence_id) {
    ExpectTrue(entity->persistence_id() == *persistence_id, "persistence id of " + service, *persistence_id,
               entity->persistence_id());
  }
  if (passivation) {
    ::cloudstate::EntityPassivationStrategy expected;
    expected.mutable_timeout()->set_timeout(passivation->count());
    ExpectEqual(expected, entity->passivation_strategy(), "passivation strategy of " + service);
  }
}

}  // namespace cloudstate::tck
