// EntityDiscovery as a proxy sees it: the spec's descriptor set, entities and service info.
#include <doctest/doctest.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <map>
#include <set>

#include "cloudstate/entity_key.pb.h"
#include "google/api/annotations.pb.h"
#include "protocol_client.h"
#include "test_function.h"

namespace fntest_support {
namespace {

using google::protobuf::FileDescriptorSet;

FileDescriptorSet ParseSet(const ::cloudstate::EntitySpec& spec) {
  FileDescriptorSet set;
  REQUIRE(set.ParseFromString(spec.proto()));
  return set;
}

const google::protobuf::FileDescriptorProto* FindFile(const FileDescriptorSet& set, const std::string& name) {
  for (const auto& file : set.file()) {
    if (file.name() == name) return &file;
  }
  return nullptr;
}

TEST_CASE("discovery reports every entity with its type, persistence id and passivation") {
  auto function = StartTestFunction();
  ::cloudstate::EntitySpec spec = Discover(Connect(function->port()));

  std::map<std::string, const ::cloudstate::Entity*> entities;
  for (const auto& entity : spec.entities()) entities[entity.service_name()] = &entity;
  REQUIRE(entities.size() == 6);
  CHECK(entities["fntest.Model"]->entity_type() == "cloudstate.eventsourced.EventSourced");
  CHECK(entities["fntest.Model"]->persistence_id() == "model");
  CHECK_FALSE(entities["fntest.Model"]->has_passivation_strategy());
  CHECK(entities["fntest.Two"]->entity_type() == "cloudstate.eventsourced.EventSourced");
  CHECK(entities["fntest.Two"]->persistence_id() == "Two");  // default: the simple name
  CHECK(entities["fntest.Configured"]->persistence_id() == "configured");
  CHECK(entities["fntest.Configured"]->passivation_strategy().timeout().timeout() == 100);
  CHECK(entities["fntest.ValueModel"]->entity_type() == "cloudstate.valueentity.ValueEntity");
  CHECK(entities["fntest.ValueModel"]->persistence_id() == "ValueModel");
  CHECK(entities["fntest.Actions"]->entity_type() == "cloudstate.action.ActionProtocol");

  const ::cloudstate::ServiceInfo& info = spec.service_info();
  CHECK(info.protocol_major_version() == 0);
  CHECK(info.protocol_minor_version() == 2);
  CHECK(info.service_name() == "function-server-test");
  CHECK(info.service_version() == "1.2.3");
  CHECK(info.support_library_name() == "cloudstate-cpp");
  CHECK_FALSE(info.support_library_version().empty());
  CHECK_FALSE(info.service_runtime().empty());
}

TEST_CASE("the descriptor set holds every transitive import once, dependencies first") {
  auto function = StartTestFunction();
  FileDescriptorSet set = ParseSet(Discover(Connect(function->port())));

  std::set<std::string> seen;
  for (const auto& file : set.file()) {
    INFO("file ", file.name());
    CHECK(seen.insert(file.name()).second);  // no duplicates
    for (const std::string& dependency : file.dependency()) {
      INFO("imports ", dependency);
      CHECK(seen.count(dependency) == 1);  // present, and earlier
    }
  }
  for (const char* name : {"fntest.proto", "fntest_common.proto", "cloudstate/entity_key.proto",
                           "google/api/annotations.proto", "google/api/http.proto",
                           "google/protobuf/descriptor.proto", "google/protobuf/empty.proto"}) {
    CHECK_MESSAGE(seen.count(name) == 1, name);
  }

  // A proxy can build a pool from it alone, with no well-known types assumed.
  google::protobuf::DescriptorPool pool;
  for (const auto& file : set.file()) REQUIRE(pool.BuildFile(file) != nullptr);
  CHECK(pool.FindServiceByName("fntest.Actions") != nullptr);
  CHECK(pool.FindMethodByName("fntest.Actions.Streamed")->client_streaming());
}

TEST_CASE("entity key and HTTP options survive in the descriptor set") {
  auto function = StartTestFunction();
  FileDescriptorSet set = ParseSet(Discover(Connect(function->port())));
  const auto* file = FindFile(set, "fntest.proto");
  REQUIRE(file != nullptr);

  const google::protobuf::DescriptorProto* request = nullptr;
  for (const auto& message : file->message_type()) {
    if (message.name() == "Request") request = &message;
  }
  REQUIRE(request != nullptr);
  CHECK(request->field(0).name() == "id");
  CHECK(request->field(0).options().GetExtension(cloudstate::entity_key));
  CHECK_FALSE(request->field(1).options().GetExtension(cloudstate::entity_key));
  CHECK(request->field(0).json_name() == "id");

  const google::protobuf::MethodDescriptorProto& process = file->service(0).method(0);
  REQUIRE(process.name() == "Process");
  const google::api::HttpRule& rule = process.options().GetExtension(google::api::http);
  CHECK(rule.post() == "/model/{id}");
  CHECK(rule.body() == "*");
}

TEST_CASE("discover has no side effects and reportError is only logged") {
  auto function = StartTestFunction();
  auto channel = Connect(function->port());
  CHECK(Discover(channel).SerializeAsString() == Discover(channel).SerializeAsString());

  auto stub = ::cloudstate::EntityDiscovery::NewStub(channel);
  grpc::ClientContext context;
  SetDeadline(context);
  ::cloudstate::UserFunctionError error;
  error.set_message("Service [fntest.Nope] unknown");
  google::protobuf::Empty empty;
  CHECK(stub->reportError(&context, error, &empty).ok());
  CHECK(function->Logged("Service [fntest.Nope] unknown"));
}

}  // namespace
}  // namespace fntest_support
