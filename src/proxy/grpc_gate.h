// The gRPC service the client port's server is built with before discovery (the front can only be
// built after it): calls go to the front once it is open, and get UNAVAILABLE with the reason
// otherwise (discovery failed; or, rarely, a call that got past the port's hold).
#pragma once

#include <grpcpp/generic/async_generic_service.h>

#include <atomic>
#include <mutex>
#include <string>

namespace cloudstate::proxy {

// Safe to call from any thread.
class GrpcGate final : public grpc::CallbackGenericService {
 public:
  // From now on calls go to `front`, which must outlive the server.
  void Open(grpc::CallbackGenericService& front) { front_.store(&front, std::memory_order_release); }
  // Why calls are refused while the gate is closed.
  void SetRefusal(std::string reason);

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override;

 private:
  std::atomic<grpc::CallbackGenericService*> front_{nullptr};
  std::mutex mu_;
  std::string refusal_ = "the sidecar is starting: the user function has not been discovered yet";
};

}  // namespace cloudstate::proxy
