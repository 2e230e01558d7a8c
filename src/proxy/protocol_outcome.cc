#include "proxy/protocol_outcome.h"

namespace cloudstate::proxy {

MetadataEntries FromProtocol(const cloudstate::Metadata& metadata) {
  MetadataEntries entries;
  for (const auto& entry : metadata.entries()) {
    if (entry.value_case() == cloudstate::MetadataEntry::kStringValue) entries.emplace_back(entry.key(), entry.string_value());
  }
  return entries;
}

cloudstate::Metadata ToProtocol(const MetadataEntries& metadata) {
  cloudstate::Metadata out;
  for (const auto& [key, value] : metadata) {
    auto* entry = out.add_entries();
    entry->set_key(key);
    entry->set_string_value(value);
  }
  return out;
}

namespace {

// A target that could not be resolved: the user function hears about it, the client gets Internal.
CommandOutcome Unroutable(const Status& status, const std::string& hop, const ErrorReporter& report) {
  if (status.code() == StatusCode::kNotFound && report) report(status.message() + "\n  " + hop);
  Status failure = status.code() == StatusCode::kNotFound ? Status::Internal(status.message()) : status;
  return CommandOutcome::Failed(std::move(failure), false);
}

}  // namespace

CommandOutcome OutcomeOf(const cloudstate::ClientAction& action,
                         const google::protobuf::RepeatedPtrField<cloudstate::SideEffect>& side_effects,
                         const TargetResolver& resolve, const std::string& origin, const ErrorReporter& report) {
  CommandOutcome outcome;
  for (const auto& effect : side_effects) {
    Result<EntityCommand> command =
        resolve(effect.service_name(), effect.command_name(), effect.payload(), FromProtocol(effect.metadata()));
    if (!command.ok()) return Unroutable(command.status(), "side-effect of " + origin, report);
    outcome.side_effects.push_back(SideEffectCall{std::move(*command), effect.synchronous()});
  }
  switch (action.action_case()) {
    case cloudstate::ClientAction::kReply: {
      CommandReply reply;
      if (action.reply().has_payload()) reply.payload = action.reply().payload();
      reply.metadata = FromProtocol(action.reply().metadata());
      outcome.reply = std::move(reply);
      break;
    }
    case cloudstate::ClientAction::kForward: {
      const auto& forward = action.forward();
      Result<EntityCommand> command = resolve(forward.service_name(), forward.command_name(), forward.payload(),
                                        FromProtocol(forward.metadata()));
      if (!command.ok()) return Unroutable(command.status(), "forwarded from " + origin, report);
      outcome.forward = std::move(*command);
      break;
    }
    case cloudstate::ClientAction::kFailure:
      outcome.reply = Status::CommandFailed(action.failure().description());
      break;
    case cloudstate::ClientAction::ACTION_NOT_SET:
      break;  // no reply for the client
  }
  return outcome;
}

}  // namespace cloudstate::proxy
