#include "proxy/grpc_gate.h"

namespace cloudstate::proxy {
namespace {

class Refusal final : public grpc::ServerGenericBidiReactor {
 public:
  explicit Refusal(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

}  // namespace

void GrpcGate::SetRefusal(std::string reason) {
  std::lock_guard lock(mu_);
  refusal_ = std::move(reason);
}

grpc::ServerGenericBidiReactor* GrpcGate::CreateReactor(grpc::GenericCallbackServerContext* context) {
  if (auto* front = front_.load(std::memory_order_acquire)) return front->CreateReactor(context);
  std::lock_guard lock(mu_);
  return new Refusal(grpc::Status(grpc::StatusCode::UNAVAILABLE, refusal_));
}

}  // namespace cloudstate::proxy
