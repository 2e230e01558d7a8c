// The event-sourced cases' messages, named as in the specification's notation: Req, Rsp, P, Init,
// Event, Cmd, Reply, Fwd, Se, Failure.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cloudstate/event_sourced.pb.h"
#include "cloudstate/tck/model/eventsourced.grpc.pb.h"
#include "cloudstate/tck/model/eventsourced.pb.h"
#include "protocol_messages.h"

namespace cloudstate::tck::es {

namespace model = ::cloudstate::tck::model;
using In = ::cloudstate::eventsourced::EventSourcedStreamIn;
using Out = ::cloudstate::eventsourced::EventSourcedStreamOut;

inline const std::string kModel = "cloudstate.tck.model.EventSourcedTckModel";
inline const std::string kTwo = "cloudstate.tck.model.EventSourcedTwo";
inline const std::string kConfigured = "cloudstate.tck.model.EventSourcedConfigured";
inline const std::string kType = "cloudstate.eventsourced.EventSourced";

inline model::RequestAction Emit(const std::string& value) {
  model::RequestAction action;
  action.mutable_emit()->set_value(value);
  return action;
}
inline model::RequestAction Forward(const std::string& id) {
  model::RequestAction action;
  action.mutable_forward()->set_id(id);
  return action;
}
inline model::RequestAction Effect(const std::string& id, bool synchronous = false) {
  model::RequestAction action;
  action.mutable_effect()->set_id(id);
  action.mutable_effect()->set_synchronous(synchronous);
  return action;
}
inline model::RequestAction FailWith(const std::string& message) {
  model::RequestAction action;
  action.mutable_fail()->set_message(message);
  return action;
}

inline model::Request Req(const std::string& id, std::initializer_list<model::RequestAction> actions = {}) {
  model::Request request;
  request.set_id(id);
  for (const auto& action : actions) *request.add_actions() = action;
  return request;
}
inline model::Response Rsp(const std::string& message = "") {
  model::Response response;
  response.set_message(message);
  return response;
}
inline model::Persisted P(const std::string& value) {
  model::Persisted persisted;
  persisted.set_value(value);
  return persisted;
}

inline In Init(const std::string& service, const std::string& id, std::optional<std::pair<int64_t, std::string>> snapshot = {}) {
  In in;
  in.mutable_init()->set_service_name(service);
  in.mutable_init()->set_entity_id(id);
  if (snapshot) {
    in.mutable_init()->mutable_snapshot()->set_snapshot_sequence(snapshot->first);
    *in.mutable_init()->mutable_snapshot()->mutable_snapshot() = Pack(P(snapshot->second));
  }
  return in;
}
inline In Event(int64_t sequence, const std::string& value) {
  In in;
  in.mutable_event()->set_sequence(sequence);
  *in.mutable_event()->mutable_payload() = Pack(P(value));
  return in;
}
inline In Cmd(const std::string& entity_id, int64_t id, const std::string& name, const model::Request& request) {
  In in;
  in.mutable_command()->set_entity_id(entity_id);
  in.mutable_command()->set_id(id);
  in.mutable_command()->set_name(name);
  *in.mutable_command()->mutable_payload() = Pack(request);
  return in;
}

inline ::cloudstate::SideEffect Se(const std::string& id, bool synchronous = false) {
  return SideEffectTo(kTwo, "Call", Req(id), synchronous);
}

// What a reply carries besides its client action.
struct Parts {
  std::vector<std::string> events;
  std::optional<std::string> snapshot;
  std::vector<::cloudstate::SideEffect> effects;
};

inline Out WithParts(Out out, const Parts& parts) {
  auto* reply = out.mutable_reply();
  for (const auto& effect : parts.effects) *reply->add_side_effects() = effect;
  for (const auto& event : parts.events) *reply->add_events() = Pack(P(event));
  if (parts.snapshot) *reply->mutable_snapshot() = Pack(P(*parts.snapshot));
  return out;
}
inline Out Reply(int64_t id, const model::Response& response, const Parts& parts = {}) {
  Out out;
  out.mutable_reply()->set_command_id(id);
  *out.mutable_reply()->mutable_client_action()->mutable_reply()->mutable_payload() = Pack(response);
  return WithParts(std::move(out), parts);
}
inline Out Fwd(int64_t id, const std::string& target, const Parts& parts = {}) {
  Out out;
  out.mutable_reply()->set_command_id(id);
  *out.mutable_reply()->mutable_client_action()->mutable_forward() = ForwardTo(kTwo, "Call", Req(target));
  return WithParts(std::move(out), parts);
}
inline Out Failure(int64_t id, const std::string& description, bool restart = false) {
  Out out;
  out.mutable_reply()->set_command_id(id);
  *out.mutable_reply()->mutable_client_action()->mutable_failure() = FailureOf(id, description, restart);
  return out;
}

}  // namespace cloudstate::tck::es
