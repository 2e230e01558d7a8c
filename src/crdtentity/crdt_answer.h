// What a CRDT entity's handler side answers the runtime side, whether the two meet in-process or
// over the protocol: a command's reply, a message to a streamed command's caller, or the answer to
// a cancelled stream, each with the state action the handler asks for.
#pragma once

#include <cstdint>
#include <optional>

#include "cloudstate/crdt.pb.h"
#include "entity/command_outcome.h"

namespace cloudstate::crdtentity {

struct CrdtAnswer {
  enum class Kind { kReply, kStreamed, kCancelled };
  Kind kind = Kind::kReply;
  int64_t command_id = 0;
  // Reply (no payload: nothing for the caller), forward or failure (CommandFailed), side effects.
  CommandOutcome outcome;
  std::optional<::cloudstate::crdt::CrdtStateAction> state_action;  // kReply, kCancelled
  bool streamed = false;    // kReply: the caller's stream stays open
  bool end_stream = false;  // kStreamed: the caller's stream ends after this message
};

}  // namespace cloudstate::crdtentity
