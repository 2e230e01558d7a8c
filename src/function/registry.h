// The services a function server serves: what discovery reports and what the protocol streams look
// up. Filled before Start, read-only afterwards (shared by every stream, no locking).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/descriptor.h>

#include "cloudstate/log.h"
#include "cloudstate/status.h"
#include "function/bridge.h"

namespace cloudstate::function {

enum class ServiceKind { kEventSourced, kValueEntity, kAction, kCrdt };

// The protocol's entity type string of a kind (protocol.md §1.2).
const char* EntityTypeName(ServiceKind kind);
// "event-sourced entity", "value entity", "action": for messages.
const char* KindLabel(ServiceKind kind);
// The label with its article: "an event-sourced entity".
std::string WithArticle(ServiceKind kind);

struct ServiceEntry {
  ServiceKind kind = ServiceKind::kAction;
  const google::protobuf::ServiceDescriptor* descriptor = nullptr;
  std::string persistence_id;  // entities only
  int snapshot_every = 0;  // event sourced only
  std::chrono::milliseconds passivation_timeout{0};  // 0: the proxy's default
  EventSourcedInstanceFactory event_sourced;
  ValueInstanceFactory value;
  ActionInstanceFactory action;
  CrdtHandlerFactory crdt;
};

// What the server says about itself at discovery.
struct ServerInfo {
  std::string service_name;
  std::string service_version;
};

class Registry {
 public:
  // Validates and adds; InvalidArgument naming the problem.
  Status Add(ServiceEntry entry);

  // nullptr when `service` is not served.
  const ServiceEntry* Find(std::string_view service) const;
  // The service, if served as `kind`; else NotFound or InvalidArgument saying what is served.
  Result<const ServiceEntry*> Find(std::string_view service, ServiceKind kind) const;
  bool empty() const { return services_.empty(); }
  // In the order they were added.
  const std::vector<const ServiceEntry*>& entries() const { return order_; }

  // OK when `call` may leave this server as a forward or side effect: a target naming one of our
  // services must name one of its methods; other services are the proxy's to resolve.
  Status CheckTarget(const TargetCall& call) const;

  ServerInfo info;
  LogSink log;

 private:
  std::map<std::string, ServiceEntry, std::less<>> services_;
  std::vector<const ServiceEntry*> order_;
};

// "type.googleapis.com/<full name>" of a message type.
std::string TypeUrlOf(const google::protobuf::Descriptor& message);

}  // namespace cloudstate::function
