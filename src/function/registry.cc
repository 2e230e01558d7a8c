#include "function/registry.h"

#include <utility>

#include "function/service_checks.h"

namespace cloudstate::function {

const char* EntityTypeName(ServiceKind kind) {
  switch (kind) {
    case ServiceKind::kEventSourced: return "cloudstate.eventsourced.EventSourced";
    case ServiceKind::kValueEntity: return "cloudstate.valueentity.ValueEntity";
    case ServiceKind::kAction: return "cloudstate.action.ActionProtocol";
    case ServiceKind::kCrdt: return "cloudstate.crdt.Crdt";
  }
  return "";
}

const char* KindLabel(ServiceKind kind) {
  switch (kind) {
    case ServiceKind::kEventSourced: return "event-sourced entity";
    case ServiceKind::kValueEntity: return "value entity";
    case ServiceKind::kAction: return "action";
    case ServiceKind::kCrdt: return "CRDT entity";
  }
  return "";
}

std::string WithArticle(ServiceKind kind) {
  bool a = kind == ServiceKind::kValueEntity || kind == ServiceKind::kCrdt;
  return std::string(a ? "a " : "an ") + KindLabel(kind);
}

std::string TypeUrlOf(const google::protobuf::Descriptor& message) {
  return "type.googleapis.com/" + message.full_name();
}

Status Registry::Add(ServiceEntry entry) {
  if (entry.descriptor == nullptr) return Status::InvalidArgument("no service descriptor given");
  const std::string& name = entry.descriptor->full_name();
  if (services_.count(name) != 0) return Status::InvalidArgument(name + " is already served");
  bool has_factory = entry.kind == ServiceKind::kEventSourced  ? static_cast<bool>(entry.event_sourced)
                     : entry.kind == ServiceKind::kValueEntity ? static_cast<bool>(entry.value)
                     : entry.kind == ServiceKind::kCrdt        ? static_cast<bool>(entry.crdt)
                                                               : static_cast<bool>(entry.action);
  if (!has_factory) return Status::InvalidArgument(name + ": no factory given");
  if (entry.passivation_timeout.count() < 0) return Status::InvalidArgument(name + ": negative passivation timeout");
  if (entry.snapshot_every < 0) return Status::InvalidArgument(name + ": negative snapshot_every");

  if (entry.kind != ServiceKind::kAction) {
    if (Status status = CheckEntityService(*entry.descriptor, WithArticle(entry.kind).c_str(),
                                               /*server_streaming=*/entry.kind == ServiceKind::kCrdt); !status.ok()) return status;
    // Node's default; the persistence id only has to be unique among this server's entities.
    if (entry.persistence_id.empty()) entry.persistence_id = entry.descriptor->name();
    for (const ServiceEntry* other : order_) {
      if (other->kind != ServiceKind::kAction && other->persistence_id == entry.persistence_id) {
        return Status::InvalidArgument(name + ": persistence id \"" + entry.persistence_id + "\" is already used by " +
                                       other->descriptor->full_name());
      }
    }
  } else {
    entry.persistence_id.clear();
  }
  auto [it, inserted] = services_.emplace(name, std::move(entry));
  (void)inserted;
  order_.push_back(&it->second);
  return Status::Ok();
}

const ServiceEntry* Registry::Find(std::string_view service) const {
  auto it = services_.find(service);
  return it == services_.end() ? nullptr : &it->second;
}

Result<const ServiceEntry*> Registry::Find(std::string_view service, ServiceKind kind) const {
  const ServiceEntry* entry = Find(service);
  if (entry == nullptr) {
    std::string served;
    for (const ServiceEntry* e : order_) {
      served += (served.empty() ? "" : ", ") + e->descriptor->full_name() + " (" + KindLabel(e->kind) + ")";
    }
    return Status::NotFound("service \"" + std::string(service) + "\" is not served by this user function; it serves " +
                            (served.empty() ? std::string("nothing") : served));
  }
  if (entry->kind != kind) {
    return Status::InvalidArgument("service " + std::string(service) + " is served as " + WithArticle(entry->kind) +
                                   ", not as " + WithArticle(kind));
  }
  return entry;
}

Status Registry::CheckTarget(const TargetCall& call) const {
  if (call.service.empty() || call.method.empty()) {
    return Status::InvalidArgument("a forward or side effect needs a service (Command::entity_type) and a method "
                                   "(Command::name), got \"" + call.service + "\" / \"" + call.method + "\"");
  }
  const ServiceEntry* target = Find(call.service);
  if (target != nullptr && target->descriptor->FindMethodByName(call.method) == nullptr) {
    return Status::NotFound("service " + call.service + " has no method " + call.method);
  }
  return Status::Ok();
}

}  // namespace cloudstate::function
