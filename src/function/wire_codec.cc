#include "function/wire_codec.h"

namespace cloudstate::function {
namespace {

// Bytes entries keep their bytes; the pair cannot say which kind an entry was.
void ToWire(const MetadataPairs& pairs, ::cloudstate::Metadata* metadata) {
  for (const auto& [key, value] : pairs) {
    ::cloudstate::MetadataEntry* entry = metadata->add_entries();
    entry->set_key(key);
    entry->set_string_value(value);
  }
}

}  // namespace

MetadataPairs FromWire(const ::cloudstate::Metadata& metadata) {
  MetadataPairs pairs;
  pairs.reserve(metadata.entries_size());
  for (const auto& entry : metadata.entries()) {
    pairs.emplace_back(entry.key(), entry.has_bytes_value() ? entry.bytes_value() : entry.string_value());
  }
  return pairs;
}

std::optional<::cloudstate::ClientAction> ClientActionToWire(const Outcome& outcome, int64_t command_id) {
  if (outcome.kind == Outcome::Kind::kNoReply) return std::nullopt;
  std::optional<::cloudstate::ClientAction> result(std::in_place);
  ::cloudstate::ClientAction* action = &*result;
  switch (outcome.kind) {
    case Outcome::Kind::kNoReply:
      break;
    case Outcome::Kind::kReply: {
      ::cloudstate::Reply* reply = action->mutable_reply();
      *reply->mutable_payload() = outcome.reply;
      if (!outcome.reply_metadata.empty()) ToWire(outcome.reply_metadata, reply->mutable_metadata());
      break;
    }
    case Outcome::Kind::kForward: {
      ::cloudstate::Forward* forward = action->mutable_forward();
      forward->set_service_name(outcome.forward.service);
      forward->set_command_name(outcome.forward.method);
      *forward->mutable_payload() = outcome.forward.payload;
      if (!outcome.forward.metadata.empty()) ToWire(outcome.forward.metadata, forward->mutable_metadata());
      break;
    }
    case Outcome::Kind::kFailure: {
      ::cloudstate::Failure* failure = action->mutable_failure();
      failure->set_command_id(command_id);
      failure->set_description(outcome.failure);
      failure->set_restart(outcome.restart);
      break;
    }
  }
  return result;
}

void SideEffectsToWire(const Outcome& outcome, WireSideEffects* side_effects) {
  for (const EffectCall& effect : outcome.side_effects) {
    ::cloudstate::SideEffect* wire = side_effects->Add();
    wire->set_service_name(effect.call.service);
    wire->set_command_name(effect.call.method);
    *wire->mutable_payload() = effect.call.payload;
    wire->set_synchronous(effect.synchronous);
    if (!effect.call.metadata.empty()) ToWire(effect.call.metadata, wire->mutable_metadata());
  }
}

::cloudstate::Failure MakeFailure(int64_t command_id, const std::string& description) {
  ::cloudstate::Failure failure;
  failure.set_command_id(command_id);
  failure.set_description(description);
  return failure;
}

}  // namespace cloudstate::function
