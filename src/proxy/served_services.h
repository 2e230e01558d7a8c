// Checks the EntitySpec a user function reported and turns it into the services the sidecar serves:
// per service its entity kind, persistence id, passivation timeout and methods with their key fields.
// The checks and their messages follow the reference (semantics.md §3.3, protocol.md §10.2).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>

#include "cloudstate/entity.pb.h"
#include "cloudstate/status.h"

namespace cloudstate::proxy {

enum class EntityKind { kEventSourced, kValueEntity, kCrdt, kAction };

inline constexpr char kEventSourcedType[] = "cloudstate.eventsourced.EventSourced";
inline constexpr char kValueEntityType[] = "cloudstate.valueentity.ValueEntity";
inline constexpr char kCrdtType[] = "cloudstate.crdt.Crdt";
inline constexpr char kActionType[] = "cloudstate.action.ActionProtocol";

struct ServedMethod {
  const google::protobuf::MethodDescriptor* descriptor = nullptr;
  std::vector<const google::protobuf::FieldDescriptor*> key_fields;  // empty for actions
  std::string input_type_url;   // type.googleapis.com/<input type>
  std::string output_type_url;  // type.googleapis.com/<output type>
};

struct ServedService {
  std::string name;  // full name, e.g. com.example.shoppingcart.ShoppingCart
  EntityKind kind = EntityKind::kAction;
  std::string persistence_id;
  std::optional<std::chrono::milliseconds> passivation_timeout;
  const google::protobuf::ServiceDescriptor* descriptor = nullptr;
  std::map<std::string, ServedMethod, std::less<>> methods;  // by method name
};

// Which entity types this sidecar serves.
struct SupportedTypes {
  bool event_sourced = true;
  bool value_entity = true;
  bool crdt = true;
  bool action = true;
  // Strings for ProxyInfo.supported_entity_types.
  std::vector<std::string> Names() const;
};

struct ValidatedSpec {
  std::vector<ServedService> services;
  std::vector<std::string> warnings;  // accepted, but worth a log line
};

// InvalidArgument with the reference's message for the first problem found.
Result<ValidatedSpec> ValidateEntitySpec(const cloudstate::EntitySpec& spec, const google::protobuf::DescriptorPool& pool,
                                         const SupportedTypes& supported);

}  // namespace cloudstate::proxy
