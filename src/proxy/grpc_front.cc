#include "proxy/grpc_front.h"

#include "proxy/entity_key.h"
#include "proxy/grpc_status.h"

namespace cloudstate::proxy {
namespace {

std::string ToString(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  bytes.reserve(buffer.Length());
  for (const auto& slice : slices) bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  return bytes;
}

// One unary call: read the request, send the command, write the reply. Deletes itself when done.
class UnaryCall final : public grpc::ServerGenericBidiReactor {
 public:
  UnaryCall(GrpcFront& front, grpc::GenericCallbackServerContext* context) : front_(front), context_(context) {
    route_ = front_.Find(context_->method());
    if (route_ == nullptr) {
      Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "no served method " + context_->method()));
      return;
    }
    const auto* method = route_->method->descriptor;
    if (method->client_streaming() || method->server_streaming()) {
      Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                          "streamed methods are not served by this sidecar yet: " + context_->method()));
      return;
    }
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "expected one request message"));
      return;
    }
    EntityCommand command;
    command.entity_type = route_->service->name;
    command.name = route_->method->descriptor->name();
    command.payload.set_type_url(route_->method->input_type_url);
    command.payload.set_value(ToString(request_));
    if (route_->service->kind == EntityKind::kAction) {
      // Actions see the request headers; entity commands carry none, as in the reference.
      for (const auto& [key, value] : context_->client_metadata()) {
        command.metadata.emplace_back(std::string(key.data(), key.size()), std::string(value.data(), value.size()));
      }
    } else {
      Result<std::string> id = ExtractEntityId(command.payload.value(), route_->method->key_fields);
      if (!id.ok()) {
        Finish(ToGrpcStatus(id.status()));
        return;
      }
      command.entity_id = std::move(*id);
    }
    front_.engine().Send(std::move(command), [this](Result<CommandReply> reply) { Complete(std::move(reply)); });
  }

  void OnDone() override { delete this; }

 private:
  void Complete(Result<CommandReply> reply) {
    if (!reply.ok()) {
      Finish(ToGrpcStatus(reply.status()));
      return;
    }
    for (const auto& [key, value] : reply->metadata) context_->AddInitialMetadata(key, value);
    if (!reply->payload) {
      // A unary call needs a response message; an entity that chose not to reply leaves none.
      Finish(grpc::Status(grpc::StatusCode::UNKNOWN, "the entity sent no reply"));
      return;
    }
    grpc::Slice slice(reply->payload->value());
    response_ = grpc::ByteBuffer(&slice, 1);
    StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
  }

  GrpcFront& front_;
  grpc::GenericCallbackServerContext* context_;
  const GrpcFront::Route* route_ = nullptr;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
};

}  // namespace

class GrpcFront::Service final : public grpc::CallbackGenericService {
 public:
  explicit Service(GrpcFront& front) : front_(front) {}
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override {
    return new UnaryCall(front_, context);
  }

 private:
  GrpcFront& front_;
};

GrpcFront::GrpcFront(Engine& engine, const std::vector<ServedService>& services, LogSink log)
    : engine_(engine), log_(std::move(log)), service_(std::make_unique<Service>(*this)) {
  for (const auto& service : services) {
    for (const auto& [name, method] : service.methods) {
      routes_.emplace("/" + service.name + "/" + name, Route{&service, &method});
    }
  }
}

const GrpcFront::Route* GrpcFront::Find(const std::string& path) const {
  auto it = routes_.find(path);
  return it == routes_.end() ? nullptr : &it->second;
}

}  // namespace cloudstate::proxy
