#include "proxy/action_bridge.h"

namespace cloudstate::proxy {
namespace {

namespace act = cloudstate::action;

// One call in flight: gRPC needs the context and both messages alive until it completes.
struct UnaryCall {
  std::unique_ptr<CallTracker::Token> token;  // first: released after the context
  grpc::ClientContext context;
  act::ActionCommand request;
  act::ActionResponse response;
};

}  // namespace

CommandOutcome ActionOutcome(const act::ActionResponse& response, const BridgeContext& context,
                             const std::string& origin) {
  cloudstate::ClientAction action;
  switch (response.response_case()) {
    case act::ActionResponse::kReply: *action.mutable_reply() = response.reply(); break;
    case act::ActionResponse::kForward: *action.mutable_forward() = response.forward(); break;
    case act::ActionResponse::kFailure: *action.mutable_failure() = response.failure(); break;
    case act::ActionResponse::RESPONSE_NOT_SET: break;
  }
  return OutcomeOf(action, response.side_effects(), context.resolve, origin, context.report_error);
}

void CallUnaryAction(const BridgeContext& context, ActionStub stub, const EntityCommand& command, UnaryActionDone done) {
  auto call = std::make_shared<UnaryCall>();
  call->token = context.calls->Track([weak = std::weak_ptr<UnaryCall>(call)] {
    if (auto live = weak.lock()) live->context.TryCancel();
  });
  call->context.set_deadline(std::chrono::system_clock::now() + context.relay_timeout);
  call->request.set_service_name(command.entity_type);
  call->request.set_name(command.name);
  *call->request.mutable_payload() = command.payload;
  *call->request.mutable_metadata() = ToProtocol(command.metadata);
  // The stub rides along: it must outlive the call.
  stub->async()->handleUnary(&call->context, &call->request, &call->response,
                             [call, stub, done = std::move(done)](grpc::Status status) { done(status, call->response); });
}

StatelessHandler MakeActionBridge(std::shared_ptr<const BridgeContext> context) {
  ActionStub stub = act::ActionProtocol::NewStub(context->channel);
  return [context, stub](const EntityCommand& command, OutcomeCallback done) {
    const std::string origin = command.entity_type + "." + command.name;
    CallUnaryAction(*context, stub, command, [context, origin, done = std::move(done)](
                                          const grpc::Status& status, const act::ActionResponse& response) {
      if (!status.ok()) {
        context->log(LogLevel::kError, "action " + origin + " failed in the user function: " + status.error_message());
        done(CommandOutcome::Failed(Status::CommandFailed(status.error_message()), false));
        return;
      }
      done(ActionOutcome(response, *context, origin));
    });
  };
}

}  // namespace cloudstate::proxy
