// What FunctionServer accepts to serve, checked before anything listens.
#include <doctest/doctest.h>

#include "cloudstate/function_server.h"
#include "fntest.pb.h"
#include "fntest_bad.pb.h"

namespace {

using cloudstate::FunctionServer;
using cloudstate::StatusCode;

const google::protobuf::ServiceDescriptor* Bad(const char* name) {
  return fntest::bad::Keyed::descriptor()->file()->FindServiceByName(name);
}

class Nothing final : public cloudstate::EventSourcedEntity {
 public:
  cloudstate::Status HandleEvent(const google::protobuf::Any&, int64_t) override { return cloudstate::Status::Ok(); }
  void HandleCommand(const google::protobuf::Any&, cloudstate::EventSourcedCommandContext&) override {}
};

std::unique_ptr<cloudstate::EventSourcedEntity> NewNothing(const std::string&) { return std::make_unique<Nothing>(); }
std::unique_ptr<cloudstate::Action> NewAction() { return std::make_unique<cloudstate::Action>(); }

cloudstate::FunctionServerOptions Quiet() {
  cloudstate::FunctionServerOptions options;
  options.port = 0;
  options.log = [](cloudstate::LogLevel, const std::string&) {};
  return options;
}
}  // namespace

TEST_CASE("entity services need an entity key in every method and no streams") {
  FunctionServer server(Quiet());
  cloudstate::Status keyless = server.AddEventSourced(Bad("NoKey"), NewNothing);
  CHECK(keyless.code() == StatusCode::kInvalidArgument);
  CHECK(keyless.message().find("entity_key") != std::string::npos);
  CHECK(keyless.message().find("Call") != std::string::npos);

  cloudstate::Status streams = server.AddEventSourced(Bad("Streams"), NewNothing);
  CHECK(streams.code() == StatusCode::kInvalidArgument);
  CHECK(streams.message().find("streamed methods Watch") != std::string::npos);

  cloudstate::Status bytes = server.AddValueEntity(Bad("BytesKey"), [](const std::string&) {
    return std::unique_ptr<cloudstate::ValueEntity>();
  });
  CHECK(bytes.code() == StatusCode::kInvalidArgument);
  CHECK(bytes.message().find("entity keys must be") != std::string::npos);

  // Actions take anything.
  CHECK(server.AddAction(Bad("NoKey"), NewAction).ok());
  CHECK(server.AddAction(Bad("Streams"), NewAction).ok());
}

TEST_CASE("a service is served once, and persistence ids are unique") {
  FunctionServer server(Quiet());
  cloudstate::EventSourcedOptions options;
  options.persistence_id = "shared";
  CHECK(server.AddEventSourced(Bad("Fine"), NewNothing, options).ok());
  cloudstate::Status twice = server.AddEventSourced(Bad("Fine"), NewNothing);
  CHECK(twice.code() == StatusCode::kInvalidArgument);
  CHECK(twice.message().find("already served") != std::string::npos);
  cloudstate::Status shared = server.AddEventSourced(Bad("FineToo"), NewNothing, options);
  CHECK(shared.code() == StatusCode::kInvalidArgument);
  CHECK(shared.message().find("\"shared\"") != std::string::npos);
}

TEST_CASE("missing descriptors, factories and bad options are refused") {
  FunctionServer server(Quiet());
  CHECK(server.AddEventSourced(nullptr, NewNothing).code() == StatusCode::kInvalidArgument);
  CHECK(server.AddEventSourced(Bad("Fine"), nullptr).code() == StatusCode::kInvalidArgument);
  CHECK(server.AddAction(Bad("Fine"), nullptr).code() == StatusCode::kInvalidArgument);
  cloudstate::EventSourcedOptions negative;
  negative.snapshot_every = -1;
  CHECK(server.AddEventSourced(Bad("Fine"), NewNothing, negative).code() == StatusCode::kInvalidArgument);
  CHECK(server.port() == 0);
  CHECK(server.Start().code() == StatusCode::kInvalidArgument);  // nothing to serve
}
