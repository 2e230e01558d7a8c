// The CRDT cases' messages, named as in the specification's notation: request actions (Gc, Pn, Gs,
// OsAdd, Lww, MapAt, ...), states (GC, PN, GS, OS, LW, FL, OM, VO), deltas (gc, pn, gs, os, lww, fl,
// om, vo), the stream's messages in (Init, DeltaIn, Cmd, SCmd, Cancel) and out (Reply, Fwd,
// Failure, Streamed, Cancelled).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cloudstate/crdt.pb.h"
#include "cloudstate/tck/model/crdt.grpc.pb.h"
#include "cloudstate/tck/model/crdt.pb.h"
#include "protocol_messages.h"

namespace cloudstate::tck::cr {

namespace cmodel = ::cloudstate::tck::model::crdt;
namespace wire = ::cloudstate::crdt;
using In = wire::CrdtStreamIn;
using Out = wire::CrdtStreamOut;
using Delta = wire::CrdtDelta;
using Action = cmodel::RequestAction;

inline const std::string kModel = "cloudstate.tck.model.crdt.CrdtTckModel";
inline const std::string kTwo = "cloudstate.tck.model.crdt.CrdtTwo";
inline const std::string kConfigured = "cloudstate.tck.model.crdt.CrdtConfigured";
inline const std::string kType = "cloudstate.crdt.Crdt";

// A string as the protocol's primitive Any: field 1, length-delimited; no bytes at all for "".
inline google::protobuf::Any Str(const std::string& text) {
  google::protobuf::Any any;
  any.set_type_url("p.cloudstate.io/string");
  if (text.empty()) return any;
  std::string bytes = "\x0a";
  for (size_t n = text.size(); ; n >>= 7) {  // the length as a varint
    bytes += static_cast<char>(n < 0x80 ? n : (n & 0x7f) | 0x80);
    if (n < 0x80) break;
  }
  any.set_value(bytes + text);
  return any;
}

// Request actions: updates, and the plain ones.
inline Action Gc(uint64_t increment) {
  Action action;
  action.mutable_update()->mutable_gcounter()->set_increment(increment);
  return action;
}
inline Action Pn(int64_t change) {
  Action action;
  action.mutable_update()->mutable_pncounter()->set_change(change);
  return action;
}
inline Action Gs(const std::string& element) {
  Action action;
  action.mutable_update()->mutable_gset()->set_add(element);
  return action;
}
inline Action OsAdd(const std::string& element) {
  Action action;
  action.mutable_update()->mutable_orset()->set_add(element);
  return action;
}
inline Action OsRemove(const std::string& element) {
  Action action;
  action.mutable_update()->mutable_orset()->set_remove(element);
  return action;
}
inline Action OsClear() {
  Action action;
  action.mutable_update()->mutable_orset()->set_clear(true);
  return action;
}
// The clock sub-message is always present, as the original kit sends it.
inline Action Lww(const std::string& value, cmodel::LWWRegisterClockType clock = cmodel::DEFAULT, int64_t custom = 0) {
  Action action;
  auto* update = action.mutable_update()->mutable_lwwregister();
  update->set_value(value);
  update->mutable_clock()->set_clocktype(clock);
  update->mutable_clock()->set_customclockvalue(custom);
  return action;
}
inline Action FlagOn() {
  Action action;
  action.mutable_update()->mutable_flag();
  return action;
}
inline Action MapAdd(const std::string& key) {
  Action action;
  action.mutable_update()->mutable_ormap()->set_add(key);
  return action;
}
inline Action MapRemove(const std::string& key) {
  Action action;
  action.mutable_update()->mutable_ormap()->set_remove(key);
  return action;
}
inline Action MapClear() {
  Action action;
  action.mutable_update()->mutable_ormap()->set_clear(true);
  return action;
}
// map[key]←inner: the update of `inner` applied to the value under `key`.
inline Action MapAt(const std::string& key, const Action& inner) {
  Action action;
  auto* entry = action.mutable_update()->mutable_ormap()->mutable_update();
  entry->set_key(key);
  *entry->mutable_update() = inner.update();
  return action;
}
inline Action VoteFor(bool vote) {
  Action action;
  action.mutable_update()->mutable_vote()->set_self_vote(vote);
  return action;
}
inline Action Wc(Action action, cmodel::UpdateWriteConsistency consistency) {
  action.mutable_update()->set_write_consistency(consistency);
  return action;
}
inline Action Del() {
  Action action;
  action.mutable_delete_();
  return action;
}
inline Action FwdTo(const std::string& id) {
  Action action;
  action.mutable_forward()->set_id(id);
  return action;
}
inline Action Eff(const std::string& id, bool synchronous = false) {
  Action action;
  action.mutable_effect()->set_id(id);
  action.mutable_effect()->set_synchronous(synchronous);
  return action;
}
inline Action FailWith(const std::string& message) {
  Action action;
  action.mutable_fail()->set_message(message);
  return action;
}

inline cmodel::Request Req(const std::string& id, std::initializer_list<Action> actions = {}) {
  cmodel::Request request;
  request.set_id(id);
  for (const auto& action : actions) *request.add_actions() = action;
  return request;
}

// States.
inline cmodel::State GC(uint64_t value) {
  cmodel::State state;
  state.mutable_gcounter()->set_value(value);
  return state;
}
inline cmodel::State PN(int64_t value) {
  cmodel::State state;
  state.mutable_pncounter()->set_value(value);
  return state;
}
inline cmodel::State GS(std::initializer_list<std::string> elements) {
  cmodel::State state;
  auto* set = state.mutable_gset();
  for (const auto& element : elements) set->add_elements(element);
  return state;
}
inline cmodel::State OS(std::initializer_list<std::string> elements) {
  cmodel::State state;
  auto* set = state.mutable_orset();
  for (const auto& element : elements) set->add_elements(element);
  return state;
}
inline cmodel::State LW(const std::string& value) {
  cmodel::State state;
  state.mutable_lwwregister()->set_value(value);
  return state;
}
inline cmodel::State FL(bool value) {
  cmodel::State state;
  state.mutable_flag()->set_value(value);
  return state;
}
inline cmodel::State OM(std::initializer_list<std::pair<std::string, cmodel::State>> entries) {
  cmodel::State state;
  auto* map = state.mutable_ormap();
  for (const auto& [key, value] : entries) {
    auto* entry = map->add_entries();
    entry->set_key(key);
    *entry->mutable_value() = value;
  }
  return state;
}
inline cmodel::State VO(bool self_vote, int32_t votes_for, int32_t total_voters) {
  cmodel::State state;
  state.mutable_vote()->set_self_vote(self_vote);
  state.mutable_vote()->set_votes_for(votes_for);
  state.mutable_vote()->set_total_voters(total_voters);
  return state;
}

inline cmodel::Response Rsp(const cmodel::State& state) {
  cmodel::Response response;
  *response.mutable_state() = state;
  return response;
}
inline cmodel::Response Rsp() { return cmodel::Response(); }  // Rsp∅

// Deltas (lists in the order the cases write them; sorted where the case sorts what it receives).
inline Delta gc(uint64_t increment) {
  Delta delta;
  delta.mutable_gcounter()->set_increment(increment);
  return delta;
}
inline Delta pn(int64_t change) {
  Delta delta;
  delta.mutable_pncounter()->set_change(change);
  return delta;
}
inline Delta gs(std::initializer_list<std::string> added) {
  Delta delta;
  auto* gset = delta.mutable_gset();
  for (const auto& element : added) *gset->add_added() = Str(element);
  return delta;
}
struct SetParts {
  bool cleared = false;
  std::vector<std::string> removed;
  std::vector<std::string> added;
};
inline Delta os(const SetParts& parts) {
  Delta delta;
  auto* orset = delta.mutable_orset();
  orset->set_cleared(parts.cleared);
  for (const auto& element : parts.removed) *orset->add_removed() = Str(element);
  for (const auto& element : parts.added) *orset->add_added() = Str(element);
  return delta;
}
inline Delta lww(const std::string& value, wire::CrdtClock clock = wire::DEFAULT, int64_t custom = 0) {
  Delta delta;
  *delta.mutable_lwwregister()->mutable_value() = Str(value);
  delta.mutable_lwwregister()->set_clock(clock);
  delta.mutable_lwwregister()->set_custom_clock_value(custom);
  return delta;
}
inline Delta fl(bool value) {
  Delta delta;
  delta.mutable_flag()->set_value(value);
  return delta;
}
struct MapParts {
  bool cleared = false;
  std::vector<std::string> removed;
  std::vector<std::pair<std::string, Delta>> updated;
  std::vector<std::pair<std::string, Delta>> added;
};
inline Delta om(const MapParts& parts) {
  Delta delta;
  auto* ormap = delta.mutable_ormap();
  ormap->set_cleared(parts.cleared);
  for (const auto& key : parts.removed) *ormap->add_removed() = Str(key);
  for (const auto& [key, nested] : parts.updated) {
    auto* entry = ormap->add_updated();
    *entry->mutable_key() = Str(key);
    *entry->mutable_delta() = nested;
  }
  for (const auto& [key, nested] : parts.added) {
    auto* entry = ormap->add_added();
    *entry->mutable_key() = Str(key);
    *entry->mutable_delta() = nested;
  }
  return delta;
}
// vo(s) as the function sends it; vo(s, f, t) as the proxy does.
inline Delta vo(bool self_vote, int32_t votes_for = 0, int32_t total_voters = 0) {
  Delta delta;
  delta.mutable_vote()->set_self_vote(self_vote);
  delta.mutable_vote()->set_votes_for(votes_for);
  delta.mutable_vote()->set_total_voters(total_voters);
  return delta;
}

// To the function.
inline In Init(const std::string& service, const std::string& id, std::optional<Delta> delta = {}) {
  In in;
  in.mutable_init()->set_service_name(service);
  in.mutable_init()->set_entity_id(id);
  if (delta) *in.mutable_init()->mutable_delta() = *delta;
  return in;
}
inline In DeltaIn(const Delta& delta) {
  In in;
  *in.mutable_delta() = delta;
  return in;
}
inline In DeleteIn() {
  In in;
  in.mutable_delete_();
  return in;
}
inline In Cmd(const std::string& entity_id, int64_t id, const cmodel::Request& request,
              const std::string& name = "Process") {
  In in;
  in.mutable_command()->set_entity_id(entity_id);
  in.mutable_command()->set_id(id);
  in.mutable_command()->set_name(name);
  *in.mutable_command()->mutable_payload() = Pack(request);
  return in;
}
inline In SCmd(const std::string& entity_id, int64_t id, cmodel::StreamedRequest request) {
  request.set_id(entity_id);
  In in;
  in.mutable_command()->set_entity_id(entity_id);
  in.mutable_command()->set_id(id);
  in.mutable_command()->set_name("ProcessStreamed");
  *in.mutable_command()->mutable_payload() = Pack(request);
  in.mutable_command()->set_streamed(true);
  return in;
}
inline In Cancel(const std::string& entity_id, int64_t id) {
  In in;
  in.mutable_stream_cancelled()->set_entity_id(entity_id);
  in.mutable_stream_cancelled()->set_id(id);
  return in;
}

// From the function.
inline ::cloudstate::SideEffect Se(const std::string& id, bool synchronous = false) {
  return SideEffectTo(kTwo, "Call", Req(id), synchronous);
}

// What a reply carries besides its client action.
struct Parts {
  std::optional<Delta> update;
  wire::CrdtWriteConsistency consistency = wire::LOCAL;
  bool deleted = false;
  std::vector<::cloudstate::SideEffect> effects;
  bool streamed = false;
};

inline Out NoAction(int64_t id, const Parts& parts = {}) {
  Out out;
  auto* reply = out.mutable_reply();
  reply->set_command_id(id);
  for (const auto& effect : parts.effects) *reply->add_side_effects() = effect;
  if (parts.update) *reply->mutable_state_action()->mutable_update() = *parts.update;
  if (parts.deleted) reply->mutable_state_action()->mutable_delete_();
  if (parts.update || parts.deleted) reply->mutable_state_action()->set_write_consistency(parts.consistency);
  reply->set_streamed(parts.streamed);
  return out;
}
inline Out Reply(int64_t id, const cmodel::Response& response, const Parts& parts = {}) {
  Out out = NoAction(id, parts);
  *out.mutable_reply()->mutable_client_action()->mutable_reply()->mutable_payload() = Pack(response);
  return out;
}
inline Out Fwd(int64_t id, const std::string& target, const Parts& parts = {}) {
  Out out = NoAction(id, parts);
  *out.mutable_reply()->mutable_client_action()->mutable_forward() = ForwardTo(kTwo, "Call", Req(target));
  return out;
}
inline Out Failure(int64_t id, const std::string& description) {
  Out out = NoAction(id);
  *out.mutable_reply()->mutable_client_action()->mutable_failure() = FailureOf(id, description);
  return out;
}
// A message to the caller of streamed command `id`; no response: no client action.
inline Out Streamed(int64_t id, std::optional<cmodel::Response> response,
                    std::initializer_list<::cloudstate::SideEffect> effects = {}, bool end = false) {
  Out out;
  auto* message = out.mutable_streamed_message();
  message->set_command_id(id);
  if (response) *message->mutable_client_action()->mutable_reply()->mutable_payload() = Pack(*response);
  for (const auto& effect : effects) *message->add_side_effects() = effect;
  message->set_end_stream(end);
  return out;
}
inline Out Cancelled(int64_t id, std::optional<Delta> update = {}) {
  Out out;
  out.mutable_stream_cancelled_response()->set_command_id(id);
  if (update) *out.mutable_stream_cancelled_response()->mutable_state_action()->mutable_update() = *update;
  return out;
}

}  // namespace cloudstate::tck::cr
