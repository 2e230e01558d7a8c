// The entities the engine tests drive. Each reports to a Probe and understands a small command
// vocabulary (listed below), so one registration serves many tests. Forwards and side effects are
// requested through command metadata so any command can carry them:
//   {"side-effect", "type/id/name/sync"} or ".../async"  (in order; several allowed)
//   {"forward", "type/id/name"}  (later "forward" entries travel with it: a chain)
// The commands they send carry the sender's payload and {"source", "type/id"},
// {"source-sequence", "<n>"} so the receiver can check the sender's events were persisted first.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "cloudstate/engine.h"
#include "probe.h"

namespace cloudstate::testing {

// HandleEvent refuses an Int64Value event with this value, and throws on the second one.
inline constexpr int64_t kPoisonEvent = -999;
inline constexpr int64_t kThrowingEvent = -998;

// An event-sourced counter; events and commands carry Int64Value n. Commands:
//   Add n            emit n (nothing when 0), apply routing metadata, reply the total
//   AddOnes n        emit n events of 1, reply the total
//   Get              reply the total             Sequence / CommandId   reply ctx.Sequence() / CommandId()
//   Echo n           reply n with the command's metadata plus {"entity-id", EntityId()}, {"command-name", ...}
//   EmitSwallowing n emit n inside try/catch(...) (hiding a throwing event handler), reply the total
//   Silent n         emit n, reply nothing       Block n   emit n, wait on probe.gate, reply the total
//   AddThenFail n    emit n, apply side effects, Fail("rejected: <n>")
//   AddThenThrow n   emit n, apply side effects, throw std::runtime_error("handler exploded")
//   ThrowInt n       emit n, throw 42
//   ReplyTwice n / ReplyAndFail n / ReplyAndForward n / EmitEmptyTypeUrl n   broken results after emitting n
// Snapshot() returns the total when `snapshots` is set; HandleSnapshot restores it.
EventSourcedFactory CounterFactory(std::shared_ptr<Probe> probe, std::string entity_type, bool snapshots = false);

// A value entity holding a StringValue. Commands (payload StringValue s unless noted):
//   Get              reply the state, "<none>" when there is none
//   Set s            UpdateState(s), apply routing metadata, reply State() (so the update is visible)
//   Delete           DeleteState(), reply State() or "<none>"
//   SetThenDelete s  UpdateState(s) then DeleteState(), reply State() or "<none>"
//   SetThenFail s    UpdateState(s), apply side effects, Fail("refused to set <s>")
//   SetThenThrow s   UpdateState(s), throw std::runtime_error("register exploded")
//   ReplyTwice s     UpdateState(s), reply twice
//   SetEmptyTypeUrl  UpdateState(an Any without type URL), reply
//   CommandId        reply Int64Value(CommandId())
//   Block s          UpdateState(s), wait on probe.gate, reply State()
ValueEntityFactory RegisterFactory(std::shared_ptr<Probe> probe, std::string entity_type);

// A value entity that counts (Int64Value state) and logs every command it gets; the target of
// forwards and side effects. It checks {"source", "source-sequence"} against the store of
// probe.engine and reports a violation when the source's events are not there yet. Commands:
//   Refuse           Fail("recorder refused")
//   Throw            throw std::runtime_error("recorder exploded")
//   any other name   count + 1, reply the count
ValueEntityFactory RecorderFactory(std::shared_ptr<Probe> probe, std::string entity_type);

// Registers "counter", "snapcounter" (snapshots on), "register" and "recorder" with default options.
void RegisterTestEntities(Engine& engine, const std::shared_ptr<Probe>& probe);

}  // namespace cloudstate::testing
