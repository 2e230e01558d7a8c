// The kit's eventing model services, called directly the way a proxy with event-log eventing would:
// the entities' events are what a proxy persists, and the subscriber gets them back as commands
// with CloudEvent metadata. The proxy cases (EV-01 .. EV-03) rely on exactly these answers.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/empty.pb.h>
#include <google/protobuf/wrappers.pb.h>
#include <grpcpp/grpcpp.h>

#include "cases/eventing_messages.h"
#include "cloudstate/action.grpc.pb.h"
#include "cloudstate/entity.grpc.pb.h"
#include "cloudstate/event_sourced.grpc.pb.h"
#include "cloudstate/eventing.pb.h"
#include "cloudstate/function_server.h"
#include "model/model_function.h"

namespace cloudstate::tck {
namespace {

using namespace ev;  // NOLINT: the kit's notation for these messages
namespace action = ::cloudstate::action;
namespace eventsourced = ::cloudstate::eventsourced;

// The whole model function, as the kit serves it, on a free loopback port.
class ModelFunction {
 public:
  ModelFunction() {
    FunctionServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.service_name = "eventing-model-test";
    options.log = [](LogLevel, const std::string&) {};
    server_ = std::make_unique<FunctionServer>(options);
    Status status = AddModelServices(*server_);
    if (status.ok()) status = server_->Start();
    REQUIRE_MESSAGE(status.ok(), status.ToString());
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()), grpc::InsecureChannelCredentials());
  }
  ~ModelFunction() {
    server_->Shutdown(std::chrono::milliseconds(500));
    server_->Wait();
  }

  std::shared_ptr<grpc::Channel> channel() const { return channel_; }

 private:
  std::unique_ptr<FunctionServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

void SetDeadline(grpc::ClientContext& context) {
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
}

google::protobuf::Any Pack(const google::protobuf::Message& message) {
  google::protobuf::Any any;
  any.PackFrom(message);
  return any;
}

// A consumed event as a proxy delivers it: the event as payload, its CloudEvent attributes as
// metadata, the subject (the emitting entity's id) only when there is one.
action::ActionCommand Delivery(const std::string& method, google::protobuf::Any event, const std::string& subject) {
  action::ActionCommand command;
  command.set_service_name(kSubscriber);
  command.set_name(method);
  *command.mutable_payload() = std::move(event);
  std::vector<std::pair<std::string, std::string>> attributes = {
      {"ce-id", "1"}, {"ce-source", "eventlogeventing-one"}, {"ce-specversion", "1.0"},
      {"ce-type", "cloudstate.tck.model.eventlogeventing.EventOne"},
      {"Content-Type", "application/vnd.cloudstate.protobuf.any"}};
  if (!subject.empty()) attributes.emplace_back("ce-subject", subject);
  for (const auto& [key, value] : attributes) {
    auto* entry = command.mutable_metadata()->add_entries();
    entry->set_key(key);
    entry->set_string_value(value);
  }
  return command;
}

action::ActionResponse Unary(const ModelFunction& function, const action::ActionCommand& command) {
  auto stub = action::ActionProtocol::NewStub(function.channel());
  grpc::ClientContext context;
  SetDeadline(context);
  action::ActionResponse response;
  grpc::Status status = stub->handleUnary(&context, command, &response);
  REQUIRE_MESSAGE(status.ok(), status.error_message());
  return response;
}

std::vector<action::ActionResponse> StreamedOut(const ModelFunction& function, const action::ActionCommand& command) {
  auto stub = action::ActionProtocol::NewStub(function.channel());
  grpc::ClientContext context;
  SetDeadline(context);
  auto reader = stub->handleStreamedOut(&context, command);
  std::vector<action::ActionResponse> responses;
  action::ActionResponse response;
  while (reader->Read(&response)) responses.push_back(response);
  grpc::Status status = reader->Finish();
  REQUIRE_MESSAGE(status.ok(), status.error_message());
  return responses;
}

// Protobuf equality by bytes, as the kit compares payloads.
bool Same(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  return a.SerializeAsString() == b.SerializeAsString();
}

bool IsReply(const action::ActionResponse& response, const emodel::Response& expected) {
  return response.has_reply() && Same(response.reply().payload(), Pack(expected));
}

bool IsForwardToEffect(const action::ActionResponse& response, const emodel::EffectRequest& expected) {
  return response.has_forward() && response.forward().service_name() == kSubscriber &&
         response.forward().command_name() == "Effect" && Same(response.forward().payload(), Pack(expected));
}

// One command to an entity of the model on a fresh stream; returns the function's reply.
eventsourced::EventSourcedReply EmitThrough(const ModelFunction& function, const std::string& service,
                                            const std::string& id, const std::string& method,
                                            const google::protobuf::Message& request) {
  auto stub = eventsourced::EventSourced::NewStub(function.channel());
  grpc::ClientContext context;
  SetDeadline(context);
  auto stream = stub->handle(&context);
  eventsourced::EventSourcedStreamIn init;
  init.mutable_init()->set_service_name(service);
  init.mutable_init()->set_entity_id(id);
  eventsourced::EventSourcedStreamIn command;
  command.mutable_command()->set_entity_id(id);
  command.mutable_command()->set_id(1);
  command.mutable_command()->set_name(method);
  *command.mutable_command()->mutable_payload() = Pack(request);
  REQUIRE(stream->Write(init));
  REQUIRE(stream->Write(command));
  eventsourced::EventSourcedStreamOut out;
  REQUIRE(stream->Read(&out));
  stream->WritesDone();
  eventsourced::EventSourcedStreamOut extra;
  CHECK_FALSE(stream->Read(&extra));
  grpc::Status status = stream->Finish();
  CHECK_MESSAGE(status.ok(), status.error_message());
  REQUIRE(out.has_reply());
  CHECK(out.reply().command_id() == 1);
  CHECK(Same(out.reply().client_action().reply().payload(), Pack(google::protobuf::Empty())));
  return out.reply();
}

TEST_CASE("discovery lists the eventing services with their persistence ids and event-log options") {
  ModelFunction function;
  auto stub = ::cloudstate::EntityDiscovery::NewStub(function.channel());
  grpc::ClientContext context;
  SetDeadline(context);
  ::cloudstate::ProxyInfo info;
  info.set_protocol_major_version(0);
  info.set_protocol_minor_version(2);
  ::cloudstate::EntitySpec spec;
  grpc::Status status = stub->discover(&context, info, &spec);
  REQUIRE_MESSAGE(status.ok(), status.error_message());

  std::vector<std::pair<std::string, std::string>> found;  // (entity type, persistence id) per service
  for (const std::string& service : {kSubscriber, kOne, kTwo}) {
    for (const auto& entity : spec.entities()) {
      if (entity.service_name() == service) found.emplace_back(entity.entity_type(), entity.persistence_id());
    }
  }
  REQUIRE(found.size() == 3);
  CHECK(found[0].first == "cloudstate.action.ActionProtocol");
  CHECK(found[1] == std::make_pair(std::string("cloudstate.eventsourced.EventSourced"), std::string("eventlogeventing-one")));
  CHECK(found[2] == std::make_pair(std::string("cloudstate.eventsourced.EventSourced"), std::string("eventlogeventing-two")));

  // A proxy learns which methods consume which event log from the method options it is sent.
  google::protobuf::FileDescriptorSet set;
  REQUIRE(set.ParseFromString(spec.proto()));
  std::vector<std::string> sources;
  for (const auto& file : set.file()) {
    if (file.package() != "cloudstate.tck.model.eventlogeventing") continue;
    for (const auto& service : file.service()) {
      if (service.name() != "EventLogSubscriberModel") continue;
      for (const auto& method : service.method()) {
        sources.push_back(method.name() + ":" + method.options().GetExtension(::cloudstate::eventing).in().event_log());
      }
    }
  }
  CHECK(sources == std::vector<std::string>{"ProcessEventOne:eventlogeventing-one", "ProcessEventTwo:eventlogeventing-one",
                                            "Effect:", "ProcessAnyEvent:eventlogeventing-two"});
}

TEST_CASE("EventSourcedEntityOne emits the event of the request as a protobuf event") {
  ModelFunction function;
  emodel::EventOne one = One(Reply("some message"));
  auto reply = EmitThrough(function, kOne, "eventlogeventing:1", "EmitEvent", EmitOne("eventlogeventing:1", one));
  REQUIRE(reply.events_size() == 1);
  CHECK(reply.events(0).type_url() == "type.googleapis.com/cloudstate.tck.model.eventlogeventing.EventOne");
  CHECK(Same(reply.events(0), Pack(one)));

  emodel::EmitEventRequest request;
  request.set_id("eventlogeventing:x");
  *request.mutable_event_two()->add_step() = Reply("a");
  *request.mutable_event_two()->add_step() = Forward("b");
  reply = EmitThrough(function, kOne, "eventlogeventing:x", "EmitEvent", request);
  REQUIRE(reply.events_size() == 1);
  CHECK(reply.events(0).type_url() == "type.googleapis.com/cloudstate.tck.model.eventlogeventing.EventTwo");
  CHECK(Same(reply.events(0), Pack(request.event_two())));
}

TEST_CASE("the subscriber replies to or forwards an EventOne, naming the entity from ce-subject") {
  ModelFunction function;
  CHECK(IsReply(Unary(function, Delivery("ProcessEventOne", Pack(One(Reply("some message"))), "eventlogeventing:1")),
                Rsp("eventlogeventing:1", "some message")));
  CHECK(IsForwardToEffect(
      Unary(function, Delivery("ProcessEventOne", Pack(One(Forward("some message"))), "eventlogeventing:2")),
      EffectReq("eventlogeventing:2", "some message")));
  // Without a subject the id is empty rather than a failure.
  CHECK(IsReply(Unary(function, Delivery("ProcessEventOne", Pack(One(Reply("m"))), "")), Rsp("", "m")));
  // The forward's target answers with what it was sent.
  action::ActionCommand effect;
  effect.set_service_name(kSubscriber);
  effect.set_name("Effect");
  *effect.mutable_payload() = Pack(EffectReq("eventlogeventing:2", "some message"));
  CHECK(IsReply(Unary(function, effect), Rsp("eventlogeventing:2", "some message")));
}

TEST_CASE("the subscriber answers an EventTwo with one response per step") {
  ModelFunction function;
  emodel::EventTwo two;
  *two.add_step() = Reply("a");
  *two.add_step() = Forward("b");
  std::vector<action::ActionResponse> responses =
      StreamedOut(function, Delivery("ProcessEventTwo", Pack(two), "eventlogeventing:4"));
  REQUIRE(responses.size() == 2);
  CHECK(IsReply(responses[0], Rsp("eventlogeventing:4", "a")));
  CHECK(IsForwardToEffect(responses[1], EffectReq("eventlogeventing:4", "b")));
}

// The proxy stores EventSourcedEntityTwo's event as it is and hands that same Any to the
// subscriber's Any method, so the entity's output is fed straight back here.
TEST_CASE("a JSON event of EventSourcedEntityTwo reaches the subscriber's Any method intact") {
  ModelFunction function;
  const std::string message = "some \"json\" message\nwith a line break";
  auto reply = EmitThrough(function, kTwo, "eventlogeventing:3", "EmitJsonEvent", Json("eventlogeventing:3", message));
  REQUIRE(reply.events_size() == 1);
  const google::protobuf::Any& event = reply.events(0);
  CHECK(event.type_url().rfind("json.cloudstate.io/", 0) == 0);
  google::protobuf::BytesValue wrapper;  // the JSON text is field 1, as bytes
  REQUIRE(wrapper.ParseFromString(event.value()));
  CHECK(wrapper.value().front() == '{');
  CHECK(wrapper.value().find("\"message\"") != std::string::npos);

  CHECK(IsReply(Unary(function, Delivery("ProcessAnyEvent", event, "eventlogeventing:3")),
                Rsp("eventlogeventing:3", message)));
  // Anything but a JSON event is refused.
  action::ActionResponse refused =
      Unary(function, Delivery("ProcessAnyEvent", Pack(One(Reply("x"))), "eventlogeventing:3"));
  CHECK(refused.has_failure());
}

}  // namespace
}  // namespace cloudstate::tck
