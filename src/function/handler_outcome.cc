#include "function/handler_outcome.h"

#include <utility>

#include "entity/target_check.h"

namespace cloudstate::function {

TargetCall ToTarget(EntityCommand command) {
  return TargetCall{std::move(command.entity_type), std::move(command.name), std::move(command.payload),
                    std::move(command.metadata)};
}

google::protobuf::Any ReplyPayload(std::optional<google::protobuf::Any> payload,
                                   const google::protobuf::MethodDescriptor& method) {
  google::protobuf::Any any = payload ? std::move(*payload) : google::protobuf::Any();
  any.set_type_url(TypeUrlOf(*method.output_type()));
  return any;
}

Outcome ToOutcome(CommandOutcome outcome, const google::protobuf::MethodDescriptor& method) {
  if (!outcome.reply.ok()) return Outcome::Failure(outcome.reply.status().message(), outcome.restart);
  Outcome result;
  if (outcome.forward) {
    result.kind = Outcome::Kind::kForward;
    result.forward = ToTarget(std::move(*outcome.forward));
  } else {
    CommandReply& reply = outcome.reply.value();
    result.kind = Outcome::Kind::kReply;
    result.reply = ReplyPayload(std::move(reply.payload), method);
    result.reply_metadata = std::move(reply.metadata);
  }
  for (SideEffectCall& effect : outcome.side_effects) {
    result.side_effects.push_back(EffectCall{ToTarget(std::move(effect.command)), effect.synchronous});
  }
  return result;
}

Status CheckTargets(const CommandOutcome& outcome, const Registry& registry) {
  return cloudstate::CheckTargets(outcome, [&registry](const EntityCommand& command) {
    return registry.CheckTarget(ToTarget(command));
  });
}

}  // namespace cloudstate::function
