// The Crdt protocol service over gRPC's callback API: one reactor per stream drives a CrdtSession.
// Handlers run inline on gRPC's callback threads. Wire side.
#pragma once

#include <memory>

#include "cloudstate/crdt.grpc.pb.h"
#include "function/registry.h"

namespace cloudstate::function {

class CrdtService final : public ::cloudstate::crdt::Crdt::CallbackService {
 public:
  explicit CrdtService(std::shared_ptr<const Registry> registry) : registry_(std::move(registry)) {}
  grpc::ServerBidiReactor<::cloudstate::crdt::CrdtStreamIn, ::cloudstate::crdt::CrdtStreamOut>* handle(
      grpc::CallbackServerContext* context) override;

 private:
  const std::shared_ptr<const Registry> registry_;
};

}  // namespace cloudstate::function
