#include "proxy/grpc_front.h"

#include "proxy/byte_buffer.h"
#include "proxy/call_meter.h"
#include "proxy/client_command.h"
#include "proxy/grpc_status.h"
#include "proxy/streamed_action_call.h"
#include "proxy/streamed_entity_call.h"

namespace cloudstate::proxy {
namespace {

// A call refused before anything is read.
class RefusedCall final : public grpc::ServerGenericBidiReactor {
 public:
  explicit RefusedCall(grpc::Status status) { Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

// One unary call: read the request, send the command, write the reply. Deletes itself when done.
class UnaryCall final : public grpc::ServerGenericBidiReactor {
 public:
  UnaryCall(GrpcFront& front, grpc::GenericCallbackServerContext* context, const GrpcFront::Route& route)
      : front_(front), context_(context), route_(&route), meter_(route.metrics) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      End(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "expected one request message"));
      return;
    }
    Result<EntityCommand> command =
        ClientCommand(*route_->service, *route_->method, ToString(request_), [this] {
          MetadataEntries headers;
          for (const auto& [key, value] : context_->client_metadata()) {
            headers.emplace_back(std::string(key.data(), key.size()), std::string(value.data(), value.size()));
          }
          return headers;
        });
    if (!command.ok()) {
      End(ToGrpcStatus(command.status()));
      return;
    }
    front_.engine().Send(std::move(*command), [this](Result<CommandReply> reply) { Complete(std::move(reply)); });
  }

  void OnDone() override { delete this; }

 private:
  void Complete(Result<CommandReply> reply) {
    if (!reply.ok()) {
      End(ToGrpcStatus(reply.status()));
      return;
    }
    for (const auto& [key, value] : reply->metadata) context_->AddInitialMetadata(key, value);
    if (!reply->payload) {
      // A unary call needs a response message; an entity that chose not to reply leaves none.
      End(grpc::Status(grpc::StatusCode::UNKNOWN, "the entity sent no reply"));
      return;
    }
    response_ = ToByteBuffer(reply->payload->value());
    meter_.End(grpc::Status::OK);
    StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
  }

  void End(grpc::Status status) {
    meter_.End(status);
    Finish(std::move(status));
  }

  GrpcFront& front_;
  grpc::GenericCallbackServerContext* context_;
  const GrpcFront::Route* route_ = nullptr;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  CallMeter meter_;
};

}  // namespace

class GrpcFront::Service final : public grpc::CallbackGenericService {
 public:
  explicit Service(GrpcFront& front) : front_(front) {}
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override {
    const Route* route = front_.Find(context->method());
    if (route == nullptr) {
      return new RefusedCall(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "no served method " + context->method()));
    }
    const auto* method = route->method->descriptor;
    if (!method->client_streaming() && !method->server_streaming()) return new UnaryCall(front_, context, *route);
    if (route->service->kind != EntityKind::kAction) {
      if (!method->client_streaming()) {
        return NewStreamedEntityCall(context, *route->service, *route->method, front_.engine(),
                                     CallMeter(route->metrics));
      }
      return new RefusedCall(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                          "client-streaming methods of entities are not served by this sidecar: " +
                                              context->method()));
    }
    return NewStreamedActionCall(context, *route->service, *route->method, front_.extensions(), front_.bridges(),
                                 CallMeter(route->metrics));
  }

 private:
  GrpcFront& front_;
};

GrpcFront::GrpcFront(Engine& engine, const std::vector<ServedService>& services,
                     std::shared_ptr<const BridgeContext> bridges, RequestMetrics* metrics)
    : engine_(engine), bridges_(std::move(bridges)), service_(std::make_unique<Service>(*this)) {
  for (const auto& service : services) {
    for (const auto& [name, method] : service.methods) {
      RequestMetrics::MethodMetrics* method_metrics = metrics ? &metrics->ForMethod(service.name, name) : nullptr;
      routes_.emplace("/" + service.name + "/" + name, Route{&service, &method, method_metrics});
    }
  }
}

const GrpcFront::Route* GrpcFront::Find(const std::string& path) const {
  auto it = routes_.find(path);
  return it == routes_.end() ? nullptr : &it->second;
}

}  // namespace cloudstate::proxy
