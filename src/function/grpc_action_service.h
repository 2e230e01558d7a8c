// ActionProtocol over gRPC's callback API: the four call shapes, each driving an ActionSession.
// Wire side.
#pragma once

#include <memory>

#include "cloudstate/action.grpc.pb.h"
#include "function/registry.h"

namespace cloudstate::function {

class ActionService final : public ::cloudstate::action::ActionProtocol::CallbackService {
 public:
  using ActionCommand = ::cloudstate::action::ActionCommand;
  using ActionResponse = ::cloudstate::action::ActionResponse;

  explicit ActionService(std::shared_ptr<const Registry> registry) : registry_(std::move(registry)) {}

  grpc::ServerUnaryReactor* handleUnary(grpc::CallbackServerContext* context, const ActionCommand* command,
                                        ActionResponse* response) override;
  grpc::ServerReadReactor<ActionCommand>* handleStreamedIn(grpc::CallbackServerContext* context,
                                                           ActionResponse* response) override;
  grpc::ServerWriteReactor<ActionResponse>* handleStreamedOut(grpc::CallbackServerContext* context,
                                                              const ActionCommand* command) override;
  grpc::ServerBidiReactor<ActionCommand, ActionResponse>* handleStreamed(grpc::CallbackServerContext* context) override;

 private:
  const std::shared_ptr<const Registry> registry_;
};

}  // namespace cloudstate::function
