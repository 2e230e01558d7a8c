// The value-entity cases' messages, named as in the specification's notation.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "cloudstate/tck/model/valueentity.grpc.pb.h"
#include "cloudstate/tck/model/valueentity.pb.h"
#include "cloudstate/value_entity.pb.h"
#include "protocol_messages.h"

namespace cloudstate::tck::ve {

namespace vmodel = ::cloudstate::tck::model::valueentity;
using In = ::cloudstate::valueentity::ValueEntityStreamIn;
using Out = ::cloudstate::valueentity::ValueEntityStreamOut;

inline const std::string kModel = "cloudstate.tck.model.valueentity.ValueEntityTckModel";
inline const std::string kTwo = "cloudstate.tck.model.valueentity.ValueEntityTwo";
inline const std::string kConfigured = "cloudstate.tck.model.valueentity.ValueEntityConfigured";
inline const std::string kType = "cloudstate.valueentity.ValueEntity";

inline vmodel::RequestAction Update(const std::string& value) {
  vmodel::RequestAction action;
  action.mutable_update()->set_value(value);
  return action;
}
inline vmodel::RequestAction Delete() {
  vmodel::RequestAction action;
  action.mutable_delete_();
  return action;
}
inline vmodel::RequestAction Forward(const std::string& id) {
  vmodel::RequestAction action;
  action.mutable_forward()->set_id(id);
  return action;
}
inline vmodel::RequestAction Effect(const std::string& id, bool synchronous = false) {
  vmodel::RequestAction action;
  action.mutable_effect()->set_id(id);
  action.mutable_effect()->set_synchronous(synchronous);
  return action;
}
inline vmodel::RequestAction FailWith(const std::string& message) {
  vmodel::RequestAction action;
  action.mutable_fail()->set_message(message);
  return action;
}

inline vmodel::Request Req(const std::string& id, std::initializer_list<vmodel::RequestAction> actions = {}) {
  vmodel::Request request;
  request.set_id(id);
  for (const auto& action : actions) *request.add_actions() = action;
  return request;
}
inline vmodel::Response Rsp(const std::string& message = "") {
  vmodel::Response response;
  response.set_message(message);
  return response;
}
inline vmodel::Persisted P(const std::string& value) {
  vmodel::Persisted persisted;
  persisted.set_value(value);
  return persisted;
}

// The state is always present, empty when nothing is stored.
inline In Init(const std::string& service, const std::string& id, std::optional<std::string> state = {}) {
  In in;
  in.mutable_init()->set_service_name(service);
  in.mutable_init()->set_entity_id(id);
  auto* init_state = in.mutable_init()->mutable_state();
  if (state) *init_state->mutable_value() = Pack(P(*state));
  return in;
}
inline In Cmd(const std::string& entity_id, int64_t id, const std::string& name, const vmodel::Request& request) {
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

// What a reply carries besides its client action: an update (the value) or a delete, effects.
struct Parts {
  std::optional<std::string> update;
  bool deleted = false;
  std::vector<::cloudstate::SideEffect> effects;
};

inline Out WithParts(Out out, const Parts& parts) {
  auto* reply = out.mutable_reply();
  for (const auto& effect : parts.effects) *reply->add_side_effects() = effect;
  if (parts.update) *reply->mutable_state_action()->mutable_update()->mutable_value() = Pack(P(*parts.update));
  if (parts.deleted) reply->mutable_state_action()->mutable_delete_();
  return out;
}
inline Out Reply(int64_t id, const vmodel::Response& response, const Parts& parts = {}) {
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
inline Out Failure(int64_t id, const std::string& description) {
  Out out;
  out.mutable_reply()->set_command_id(id);
  *out.mutable_reply()->mutable_client_action()->mutable_failure() = FailureOf(id, description);
  return out;
}

}  // namespace cloudstate::tck::ve
