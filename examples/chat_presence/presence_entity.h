// The presence of one user, as a CRDT entity on a Vote: this node votes for "online" while it
// holds at least one of the user's Connect streams.
#pragma once

#include <memory>
#include <string>

#include "cloudstate/crdt_entity.h"

namespace chat_presence {

inline constexpr char kServiceName[] = "com.example.chat.presence.Presence";
inline constexpr char kPersistenceId[] = "chat-presence";

std::unique_ptr<cloudstate::CrdtEntity> NewPresence(const std::string& user);

}  // namespace chat_presence
