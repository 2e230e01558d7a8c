#include "protocol_client.h"

#include <doctest/doctest.h>

namespace fntest_support {

std::shared_ptr<grpc::Channel> Connect(int port) {
  return grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
}

void SetDeadline(grpc::ClientContext& context, std::chrono::seconds seconds) {
  context.set_deadline(std::chrono::system_clock::now() + seconds);
}

google::protobuf::Any Pack(const google::protobuf::Message& message) {
  google::protobuf::Any any;
  any.PackFrom(message);
  return any;
}

es::EventSourcedStreamIn EsInit(const std::string& service, const std::string& entity_id) {
  es::EventSourcedStreamIn in;
  in.mutable_init()->set_service_name(service);
  in.mutable_init()->set_entity_id(entity_id);
  return in;
}

es::EventSourcedStreamIn EsInit(const std::string& service, const std::string& entity_id, int64_t snapshot_sequence,
                                const google::protobuf::Message& snapshot) {
  es::EventSourcedStreamIn in = EsInit(service, entity_id);
  in.mutable_init()->mutable_snapshot()->set_snapshot_sequence(snapshot_sequence);
  *in.mutable_init()->mutable_snapshot()->mutable_snapshot() = Pack(snapshot);
  return in;
}

es::EventSourcedStreamIn EsEvent(int64_t sequence, const google::protobuf::Message& event) {
  es::EventSourcedStreamIn in;
  in.mutable_event()->set_sequence(sequence);
  *in.mutable_event()->mutable_payload() = Pack(event);
  return in;
}

namespace {
::cloudstate::Command MakeWireCommand(const std::string& entity_id, int64_t id, const std::string& name,
                                      const google::protobuf::Message& payload) {
  ::cloudstate::Command command;
  command.set_entity_id(entity_id);
  command.set_id(id);
  command.set_name(name);
  *command.mutable_payload() = Pack(payload);
  return command;
}
}  // namespace

es::EventSourcedStreamIn EsCommand(const std::string& entity_id, int64_t id, const std::string& name,
                                   const google::protobuf::Message& payload) {
  es::EventSourcedStreamIn in;
  *in.mutable_command() = MakeWireCommand(entity_id, id, name, payload);
  return in;
}

ve::ValueEntityStreamIn VeInit(const std::string& service, const std::string& entity_id,
                               const google::protobuf::Message* state) {
  ve::ValueEntityStreamIn in;
  in.mutable_init()->set_service_name(service);
  in.mutable_init()->set_entity_id(entity_id);
  // The reference proxy always sends `state`, its value unset when nothing is stored.
  auto* init_state = in.mutable_init()->mutable_state();
  if (state != nullptr) *init_state->mutable_value() = Pack(*state);
  return in;
}

ve::ValueEntityStreamIn VeCommand(const std::string& entity_id, int64_t id, const std::string& name,
                                  const google::protobuf::Message& payload) {
  ve::ValueEntityStreamIn in;
  *in.mutable_command() = MakeWireCommand(entity_id, id, name, payload);
  return in;
}

::cloudstate::EntitySpec Discover(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = ::cloudstate::EntityDiscovery::NewStub(channel);
  grpc::ClientContext context;
  SetDeadline(context);
  ::cloudstate::ProxyInfo info;
  info.set_protocol_major_version(0);
  info.set_protocol_minor_version(2);
  info.set_proxy_name("cloudstate-proxy-core");
  info.set_proxy_version("test");
  for (const char* type : {"cloudstate.eventsourced.EventSourced", "cloudstate.valueentity.ValueEntity",
                           "cloudstate.crdt.Crdt", "cloudstate.action.ActionProtocol"}) {
    info.add_supported_entity_types(type);
  }
  ::cloudstate::EntitySpec spec;
  grpc::Status status = stub->discover(&context, info, &spec);
  REQUIRE_MESSAGE(status.ok(), status.error_message());
  return spec;
}

}  // namespace fntest_support
