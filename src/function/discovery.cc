#include "function/discovery.h"

#include <algorithm>
#include <vector>

#include "function/descriptor_set.h"

#ifndef CLOUDSTATE_VERSION
#define CLOUDSTATE_VERSION "unknown"
#endif

namespace cloudstate::function {
namespace {

constexpr char kLibraryName[] = "cloudstate-cpp";
#if defined(__clang__)
constexpr char kRuntime[] = "C++ (clang " __clang_version__ ")";
#elif defined(__GNUC__)
constexpr char kRuntime[] = "C++ (gcc " __VERSION__ ")";
#else
constexpr char kRuntime[] = "C++";
#endif

}  // namespace

::cloudstate::EntitySpec BuildEntitySpec(const Registry& registry) {
  ::cloudstate::EntitySpec spec;
  std::vector<const google::protobuf::FileDescriptor*> files;
  for (const ServiceEntry* entry : registry.entries()) files.push_back(entry->descriptor->file());
  spec.set_proto(BuildDescriptorSet(files).SerializeAsString());

  for (const ServiceEntry* entry : registry.entries()) {
    ::cloudstate::Entity* entity = spec.add_entities();
    entity->set_entity_type(EntityTypeName(entry->kind));
    entity->set_service_name(entry->descriptor->full_name());
    entity->set_persistence_id(entry->persistence_id);
    if (entry->passivation_timeout.count() > 0) {
      entity->mutable_passivation_strategy()->mutable_timeout()->set_timeout(entry->passivation_timeout.count());
    }
  }

  ::cloudstate::ServiceInfo* info = spec.mutable_service_info();
  info->set_service_name(registry.info.service_name);
  info->set_service_version(registry.info.service_version);
  info->set_service_runtime(kRuntime);
  info->set_support_library_name(kLibraryName);
  info->set_support_library_version(CLOUDSTATE_VERSION);
  info->set_protocol_major_version(0);
  info->set_protocol_minor_version(2);
  return spec;
}

DiscoveryService::DiscoveryService(std::shared_ptr<const Registry> registry)
    : registry_(std::move(registry)), spec_(BuildEntitySpec(*registry_)) {}

void DiscoveryService::Log(LogLevel level, const std::string& message) const {
  if (registry_->log) registry_->log(level, message);
}

grpc::ServerUnaryReactor* DiscoveryService::discover(grpc::CallbackServerContext* context,
                                                     const ::cloudstate::ProxyInfo* info,
                                                     ::cloudstate::EntitySpec* spec) {
  Log(LogLevel::kInfo, "discovery by " + info->proxy_name() + " " + info->proxy_version() + " (protocol " +
                           std::to_string(info->protocol_major_version()) + "." +
                           std::to_string(info->protocol_minor_version()) + ")");
  if (info->protocol_major_version() != 0 || info->protocol_minor_version() != 2) {
    Log(LogLevel::kWarning, "the proxy speaks protocol " + std::to_string(info->protocol_major_version()) + "." +
                                std::to_string(info->protocol_minor_version()) + "; this function speaks 0.2");
  }
  // A proxy that lists its entity types but not one of ours will refuse the spec: say why here too.
  const auto& supported = info->supported_entity_types();
  if (!supported.empty()) {
    for (const ServiceEntry* entry : registry_->entries()) {
      std::string type = EntityTypeName(entry->kind);
      if (std::find(supported.begin(), supported.end(), type) == supported.end()) {
        Log(LogLevel::kWarning, "the proxy does not support " + type + ", needed by " + entry->descriptor->full_name());
      }
    }
  }
  *spec = spec_;
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* DiscoveryService::reportError(grpc::CallbackServerContext* context,
                                                        const ::cloudstate::UserFunctionError* error,
                                                        google::protobuf::Empty*) {
  Log(LogLevel::kError, "the proxy reports an error: " + error->message());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace cloudstate::function
