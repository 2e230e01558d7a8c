// A CRDT entity for tests: the command name says what to do with the CRDT (one command per CRDT
// operation), the payload (a StringValue) carries the argument, and every reply is the CRDT
// rendered as text, so tests compare strings.
#pragma once

#include <memory>
#include <string>

#include <google/protobuf/wrappers.pb.h>

#include "cloudstate/crdt_entity.h"

namespace cloudstate::testing {

// "GCounter 5", "ORSet {a,b}", "ORMap {k:GCounter 1}", "Vote 1/2/3" (self, for, total), "none".
std::string Render(const CrdtValue* value);

google::protobuf::Any Text(const std::string& text);
std::string TextOf(const google::protobuf::Any& any);

// Commands: gc+ N, pn+ N, gs+ X, os+ X, os- X, os0, lww X, flag, map+ K (GCounter under K, +1),
// map- K, vote true|false, get, del, fail, watch (streamed: a message per change, "end" when the
// rendering is `end`, the argument; on cancel: pn+ -1 and a side effect "Log.note <id>"). Any
// update command takes write consistency from metadata "wc" (majority|all).
std::unique_ptr<CrdtEntity> NewCrdtTestEntity(const std::string& entity_id);

}  // namespace cloudstate::testing
