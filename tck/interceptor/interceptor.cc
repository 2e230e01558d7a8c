#include "interceptor.h"

#include <grpcpp/grpcpp.h>

#include "cloudstate/action.grpc.pb.h"
#include "cloudstate/crdt.grpc.pb.h"
#include "cloudstate/entity.grpc.pb.h"
#include "cloudstate/event_sourced.grpc.pb.h"
#include "cloudstate/value_entity.grpc.pb.h"
#include "relay.h"

namespace cloudstate::tck {
namespace {

// What every relayed service shares.
struct Relay {
  Relay(std::shared_ptr<grpc::Channel> channel, TrafficAlteration* hook) : function(std::move(channel)), alteration(hook) {}
  Recorder recorder;
  std::shared_ptr<grpc::Channel> function;
  TrafficAlteration* alteration;
};

std::shared_ptr<grpc::Channel> FunctionChannel(const InterceptorOptions& options) {
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(options.max_message_bytes);
  arguments.SetMaxSendMessageSize(options.max_message_bytes);
  return grpc::CreateCustomChannel(options.user_function, grpc::InsecureChannelCredentials(), arguments);
}

grpc::Status Dropped() { return grpc::Status(grpc::StatusCode::UNAVAILABLE, "message dropped by the interceptor"); }

class DiscoveryRelay final : public ::cloudstate::EntityDiscovery::Service {
 public:
  explicit DiscoveryRelay(Relay& relay) : relay_(relay), stub_(::cloudstate::EntityDiscovery::NewStub(relay.function)) {}

  grpc::Status discover(grpc::ServerContext* context, const ::cloudstate::ProxyInfo* request,
                        ::cloudstate::EntitySpec* response) override {
    std::shared_ptr<Connection> connection = relay_.recorder.Announce(CallKind::kDiscovery);
    ::cloudstate::ProxyInfo info = *request;
    if (!Deliver(*connection, Direction::kIn, info, relay_.alteration)) return Dropped();
    auto function_context = grpc::ClientContext::FromServerContext(*context);
    grpc::Status status = stub_->discover(function_context.get(), info, response);
    if (status.ok() && !Deliver(*connection, Direction::kOut, *response, relay_.alteration)) status = Dropped();
    connection->Complete(Direction::kOut, DescribeStatus(status));
    return status;
  }

  // Recorded on the discovery it follows, as the original kit does.
  grpc::Status reportError(grpc::ServerContext* context, const ::cloudstate::UserFunctionError* request,
                           google::protobuf::Empty* response) override {
    ::cloudstate::UserFunctionError error = *request;
    if (std::shared_ptr<Connection> discovery = relay_.recorder.LastDiscovery()) {
      if (!Deliver(*discovery, Direction::kIn, error, relay_.alteration)) return Dropped();
    }
    auto function_context = grpc::ClientContext::FromServerContext(*context);
    return stub_->reportError(function_context.get(), error, response);
  }

 private:
  Relay& relay_;
  std::unique_ptr<::cloudstate::EntityDiscovery::Stub> stub_;
};

template <typename In>
std::string InitService(const In& message) {
  return message.has_init() ? message.init().service_name() : "";
}

class EventSourcedRelay final : public ::cloudstate::eventsourced::EventSourced::Service {
 public:
  explicit EventSourcedRelay(Relay& relay)
      : relay_(relay), stub_(::cloudstate::eventsourced::EventSourced::NewStub(relay.function)) {}

  grpc::Status handle(grpc::ServerContext* context,
                      grpc::ServerReaderWriter<::cloudstate::eventsourced::EventSourcedStreamOut,
                                               ::cloudstate::eventsourced::EventSourcedStreamIn>* stream) override {
    std::shared_ptr<Connection> connection = relay_.recorder.Announce(CallKind::kEventSourced);
    return RelayBidi(
        *context, *stream, [&](grpc::ClientContext* c) { return stub_->handle(c); },
        InitService<::cloudstate::eventsourced::EventSourcedStreamIn>, *connection, relay_.alteration);
  }

 private:
  Relay& relay_;
  std::unique_ptr<::cloudstate::eventsourced::EventSourced::Stub> stub_;
};

class ValueEntityRelay final : public ::cloudstate::valueentity::ValueEntity::Service {
 public:
  explicit ValueEntityRelay(Relay& relay)
      : relay_(relay), stub_(::cloudstate::valueentity::ValueEntity::NewStub(relay.function)) {}

  grpc::Status handle(grpc::ServerContext* context,
                      grpc::ServerReaderWriter<::cloudstate::valueentity::ValueEntityStreamOut,
                                               ::cloudstate::valueentity::ValueEntityStreamIn>* stream) override {
    std::shared_ptr<Connection> connection = relay_.recorder.Announce(CallKind::kValueEntity);
    return RelayBidi(
        *context, *stream, [&](grpc::ClientContext* c) { return stub_->handle(c); },
        InitService<::cloudstate::valueentity::ValueEntityStreamIn>, *connection, relay_.alteration);
  }

 private:
  Relay& relay_;
  std::unique_ptr<::cloudstate::valueentity::ValueEntity::Stub> stub_;
};

class CrdtRelay final : public ::cloudstate::crdt::Crdt::Service {
 public:
  explicit CrdtRelay(Relay& relay) : relay_(relay), stub_(::cloudstate::crdt::Crdt::NewStub(relay.function)) {}

  grpc::Status handle(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<::cloudstate::crdt::CrdtStreamOut, ::cloudstate::crdt::CrdtStreamIn>* stream) override {
    std::shared_ptr<Connection> connection = relay_.recorder.Announce(CallKind::kCrdt);
    return RelayBidi(
        *context, *stream, [&](grpc::ClientContext* c) { return stub_->handle(c); },
        InitService<::cloudstate::crdt::CrdtStreamIn>, *connection, relay_.alteration);
  }

 private:
  Relay& relay_;
  std::unique_ptr<::cloudstate::crdt::Crdt::Stub> stub_;
};

using ::cloudstate::action::ActionCommand;
using ::cloudstate::action::ActionResponse;

class ActionRelay final : public ::cloudstate::action::ActionProtocol::Service {
 public:
  explicit ActionRelay(Relay& relay) : relay_(relay), stub_(::cloudstate::action::ActionProtocol::NewStub(relay.function)) {}

  grpc::Status handleUnary(grpc::ServerContext* context, const ActionCommand* request,
                           ActionResponse* response) override {
    std::shared_ptr<Connection> connection = relay_.recorder.Announce(CallKind::kActionUnary);
    connection->SetService(request->service_name());
    ActionCommand command = *request;
    if (!Deliver(*connection, Direction::kIn, command, relay_.alteration)) return Dropped();
    connection->Complete(Direction::kIn, "OK");
    auto function_context = grpc::ClientContext::FromServerContext(*context);
    grpc::Status status = stub_->handleUnary(function_context.get(), command, response);
    if (status.ok() && !Deliver(*connection, Direction::kOut, *response, relay_.alteration)) status = Dropped();
    connection->Complete(Direction::kOut, DescribeStatus(status));
    return status;
  }

  grpc::Status handleStreamedIn(grpc::ServerContext* context, grpc::ServerReader<ActionCommand>* reader,
                                ActionResponse* response) override {
    std::shared_ptr<Connection> connection = relay_.recorder.Announce(CallKind::kActionStreamedIn);
    auto function_context = grpc::ClientContext::FromServerContext(*context);
    std::unique_ptr<grpc::ClientWriter<ActionCommand>> function =
        stub_->handleStreamedIn(function_context.get(), response);
    ActionCommand command;
    bool first = true;
    while (reader->Read(&command)) {
      if (first) connection->SetService(command.service_name());
      first = false;
      if (Deliver(*connection, Direction::kIn, command, relay_.alteration)) function->Write(command);
    }
    const bool cancelled = context->IsCancelled();
    connection->Complete(Direction::kIn, cancelled ? "cancelled" : "OK");
    if (cancelled) {
      function_context->TryCancel();
    } else {
      function->WritesDone();
    }
    grpc::Status status = function->Finish();
    if (status.ok() && !Deliver(*connection, Direction::kOut, *response, relay_.alteration)) status = Dropped();
    connection->Complete(Direction::kOut, DescribeStatus(status));
    return status;
  }

  grpc::Status handleStreamedOut(grpc::ServerContext* context, const ActionCommand* request,
                                 grpc::ServerWriter<ActionResponse>* writer) override {
    std::shared_ptr<Connection> connection = relay_.recorder.Announce(CallKind::kActionStreamedOut);
    connection->SetService(request->service_name());
    ActionCommand command = *request;
    if (!Deliver(*connection, Direction::kIn, command, relay_.alteration)) return Dropped();
    connection->Complete(Direction::kIn, "OK");
    auto function_context = grpc::ClientContext::FromServerContext(*context);
    std::unique_ptr<grpc::ClientReader<ActionResponse>> function =
        stub_->handleStreamedOut(function_context.get(), command);
    ActionResponse response;
    while (function->Read(&response)) {
      if (Deliver(*connection, Direction::kOut, response, relay_.alteration)) writer->Write(response);
    }
    grpc::Status status = function->Finish();
    connection->Complete(Direction::kOut, DescribeStatus(status));
    return status;
  }

  grpc::Status handleStreamed(grpc::ServerContext* context,
                              grpc::ServerReaderWriter<ActionResponse, ActionCommand>* stream) override {
    std::shared_ptr<Connection> connection = relay_.recorder.Announce(CallKind::kActionStreamed);
    return RelayBidi(
        *context, *stream, [&](grpc::ClientContext* c) { return stub_->handleStreamed(c); },
        [](const ActionCommand& command) { return command.service_name(); }, *connection, relay_.alteration);
  }

 private:
  Relay& relay_;
  std::unique_ptr<::cloudstate::action::ActionProtocol::Stub> stub_;
};

class InterceptorImpl final : public Interceptor {
 public:
  explicit InterceptorImpl(const InterceptorOptions& options)
      : relay_(FunctionChannel(options), options.alteration),
        discovery_(relay_),
        event_sourced_(relay_),
        value_entity_(relay_),
        crdt_(relay_),
        action_(relay_) {}
  ~InterceptorImpl() override { Shutdown(); }

  Status Start(const InterceptorOptions& options) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort(options.address + ":" + std::to_string(options.port), grpc::InsecureServerCredentials(),
                             &port_);
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    builder.SetMaxReceiveMessageSize(options.max_message_bytes);
    builder.SetMaxSendMessageSize(options.max_message_bytes);
    builder.RegisterService(&discovery_);
    builder.RegisterService(&event_sourced_);
    builder.RegisterService(&value_entity_);
    builder.RegisterService(&crdt_);
    builder.RegisterService(&action_);
    server_ = builder.BuildAndStart();
    if (server_ == nullptr || port_ == 0) {
      return Status::Unavailable("the interceptor cannot listen on " + options.address + ":" +
                                 std::to_string(options.port));
    }
    return Status::Ok();
  }

  int port() const override { return port_; }
  Recorder& recorder() override { return relay_.recorder; }

  void Shutdown() override {
    std::lock_guard lock(shutdown_mutex_);
    if (server_ == nullptr) return;
    server_->Shutdown(std::chrono::system_clock::now());
    server_->Wait();
    server_.reset();
  }

 private:
  Relay relay_;
  DiscoveryRelay discovery_;
  EventSourcedRelay event_sourced_;
  ValueEntityRelay value_entity_;
  CrdtRelay crdt_;
  ActionRelay action_;
  std::mutex shutdown_mutex_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace

Result<std::unique_ptr<Interceptor>> Interceptor::Start(InterceptorOptions options) {
  auto interceptor = std::make_unique<InterceptorImpl>(options);
  if (Status status = interceptor->Start(options); !status.ok()) return status;
  return std::unique_ptr<Interceptor>(std::move(interceptor));
}

}  // namespace cloudstate::tck
