#include "proxy/served_services.h"

#include "proxy/entity_key.h"
#include "proxy/eventing/consumer_offsets.h"

namespace cloudstate::proxy {
namespace {

using google::protobuf::ServiceDescriptor;

constexpr int kProtocolMajor = 0;
constexpr int kProtocolMinor = 2;

std::string TypeUrl(const google::protobuf::Descriptor& type) { return "type.googleapis.com/" + type.full_name(); }

std::string Join(const std::vector<std::string>& names) {
  std::string joined;
  for (const auto& name : names) joined += (joined.empty() ? "" : ",") + name;
  return joined;
}

Status CheckProtocolVersion(const cloudstate::EntitySpec& spec, std::vector<std::string>& warnings) {
  int major = spec.service_info().protocol_major_version();
  int minor = spec.service_info().protocol_minor_version();
  if (major == kProtocolMajor && minor == kProtocolMinor) return Status::Ok();
  if (major == 0 && minor == 0) {
    warnings.push_back("the user function declares no protocol version; assuming 0.2");
    return Status::Ok();
  }
  if (major == kProtocolMajor) {
    warnings.push_back("the user function declares protocol " + std::to_string(major) + "." + std::to_string(minor) +
                       "; this sidecar speaks 0.2");
    return Status::Ok();
  }
  return Status::InvalidArgument("Incompatible protocol version " + std::to_string(major) + "." +
                                 std::to_string(minor) + ", only 0.2 is supported");
}

// The service named `full_name`: a file whose package is everything before the last dot declares it.
const ServiceDescriptor* FindService(const google::protobuf::DescriptorPool& pool, const std::string& full_name) {
  return pool.FindServiceByName(full_name);
}

Result<EntityKind> KindOf(const cloudstate::Entity& entity, const SupportedTypes& supported) {
  const std::string& type = entity.entity_type();
  if (type == kEventSourcedType && supported.event_sourced) return EntityKind::kEventSourced;
  if (type == kValueEntityType && supported.value_entity) return EntityKind::kValueEntity;
  if (type == kCrdtType && supported.crdt) return EntityKind::kCrdt;
  if (type == kActionType && supported.action) return EntityKind::kAction;
  if (type == kEventSourcedType) {
    return Status::InvalidArgument(
        "Service [" + entity.service_name() +
        "] has declared an event sourced entity, however, this proxy does not have a configured store, or is using a "
        "store that doesn't support event sourced journals. A store that supports journals must be configured in this "
        "stateful services resource if event sourcing is to be used.");
  }
  return Status::InvalidArgument("Service [" + entity.service_name() + "] has declared an unsupported entity type [" +
                                 type + "]. Supported types are " + Join(supported.Names()));
}

// The per-kind method rules of semantics.md §3.3.
Status CheckMethods(const ServedService& service) {
  const char* label = nullptr;
  bool allow_server_streaming = false;
  switch (service.kind) {
    case EntityKind::kAction: return Status::Ok();
    case EntityKind::kEventSourced: label = "Event sourced entities"; break;
    case EntityKind::kValueEntity: label = "Value based entities"; break;
    case EntityKind::kCrdt: label = "CRDT entities"; allow_server_streaming = true; break;
  }
  std::vector<std::string> streamed, client_streamed, keyless, bad_keys;
  for (const auto& [name, method] : service.methods) {
    if (method.descriptor->client_streaming()) client_streamed.push_back(name);
    if (method.descriptor->client_streaming() || (method.descriptor->server_streaming() && !allow_server_streaming)) {
      streamed.push_back(name);
    }
    if (method.key_fields.empty()) keyless.push_back(name);
    for (const auto* field : method.key_fields) {
      if (!IsSupportedKeyField(*field)) bad_keys.push_back(name + "." + field->name());
    }
  }
  if (allow_server_streaming && !client_streamed.empty()) {
    return Status::InvalidArgument(std::string(label) + " do not support streaming in from the client, but " +
                                   service.name + " has the following streamed methods: " + Join(client_streamed));
  }
  if (!streamed.empty()) {
    return Status::InvalidArgument(std::string(label) + " do not support streamed methods, but " + service.name +
                                   " has the following streamed methods: " + Join(streamed));
  }
  if (!keyless.empty()) {
    return Status::InvalidArgument(std::string(label) +
                                   " do not support methods whose parameters do not have at least one field marked as "
                                   "entity_key, but " + service.name + " has the following methods without keys: " +
                                   Join(keyless));
  }
  if (!bad_keys.empty()) {
    return Status::InvalidArgument("Entity keys must be strings, integers, booleans or enums, but " + service.name +
                                   " has these key fields of other types: " + Join(bad_keys));
  }
  return Status::Ok();
}

}  // namespace

std::vector<std::string> SupportedTypes::Names() const {
  std::vector<std::string> names;
  if (event_sourced) names.emplace_back(kEventSourcedType);
  if (value_entity) names.emplace_back(kValueEntityType);
  if (crdt) names.emplace_back(kCrdtType);
  if (action) names.emplace_back(kActionType);
  return names;
}

Result<ValidatedSpec> ValidateEntitySpec(const cloudstate::EntitySpec& spec, const google::protobuf::DescriptorPool& pool,
                                         const SupportedTypes& supported) {
  ValidatedSpec validated;
  if (Status status = CheckProtocolVersion(spec, validated.warnings); !status.ok()) return status;
  if (spec.entities().empty()) return Status::InvalidArgument("No entities were reported by the discover call!");

  for (const auto& entity : spec.entities()) {
    const ServiceDescriptor* descriptor = FindService(pool, entity.service_name());
    if (descriptor == nullptr) {
      return Status::InvalidArgument("Service [" + entity.service_name() + "] not found in descriptors!");
    }
    Result<EntityKind> kind = KindOf(entity, supported);
    if (!kind.ok()) return kind.status();

    ServedService service;
    service.name = entity.service_name();
    service.kind = *kind;
    service.persistence_id = entity.persistence_id();
    service.descriptor = descriptor;
    if (entity.passivation_strategy().has_timeout() && entity.passivation_strategy().timeout().timeout() > 0) {
      service.passivation_timeout = std::chrono::milliseconds(entity.passivation_strategy().timeout().timeout());
    }
    for (int i = 0; i < descriptor->method_count(); ++i) {
      const auto* method = descriptor->method(i);
      ServedMethod served;
      served.descriptor = method;
      if (service.kind != EntityKind::kAction) served.key_fields = KeyFields(*method->input_type());
      served.input_type_url = TypeUrl(*method->input_type());
      served.output_type_url = TypeUrl(*method->output_type());
      service.methods.emplace(method->name(), std::move(served));
    }
    if (Status status = CheckMethods(service); !status.ok()) return status;
    if (service.kind != EntityKind::kAction && service.persistence_id.empty()) {
      validated.warnings.push_back("service " + service.name + " reports no persistence id; using its name");
      service.persistence_id = service.name;
    }
    if (service.persistence_id == kConsumerOffsetsPersistenceId) {
      return Status::InvalidArgument("Service [" + service.name + "] uses the persistence id " +
                                     kConsumerOffsetsPersistenceId + ", which the sidecar keeps for itself");
    }
    validated.services.push_back(std::move(service));
  }
  return validated;
}

}  // namespace cloudstate::proxy
