// The action cases' messages, named as in the specification's notation: groups of steps (R, F, X,
// E), commands (Cmd, Head, Msg, Call2) and responses (ReplyR, FwdR, FailureR, NoReply).
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "cloudstate/action.pb.h"
#include "cloudstate/tck/model/action.grpc.pb.h"
#include "cloudstate/tck/model/action.pb.h"
#include "protocol_messages.h"

namespace cloudstate::tck::ac {

namespace amodel = ::cloudstate::tck::model::action;
using Command = ::cloudstate::action::ActionCommand;
using Response = ::cloudstate::action::ActionResponse;
using Group = std::vector<amodel::ProcessStep>;

inline const std::string kModel = "cloudstate.tck.model.action.ActionTckModel";
inline const std::string kTwo = "cloudstate.tck.model.action.ActionTwo";
inline const std::string kType = "cloudstate.action.ActionProtocol";

inline amodel::ProcessStep R(const std::string& message) {
  amodel::ProcessStep step;
  step.mutable_reply()->set_message(message);
  return step;
}
inline amodel::ProcessStep F(const std::string& id) {
  amodel::ProcessStep step;
  step.mutable_forward()->set_id(id);
  return step;
}
inline amodel::ProcessStep X(const std::string& message) {
  amodel::ProcessStep step;
  step.mutable_fail()->set_message(message);
  return step;
}
inline amodel::ProcessStep E(const std::string& id, bool synchronous = false) {
  amodel::ProcessStep step;
  step.mutable_effect()->set_id(id);
  step.mutable_effect()->set_synchronous(synchronous);
  return step;
}

inline amodel::Request Req(std::initializer_list<Group> groups) {
  amodel::Request request;
  for (const Group& group : groups) {
    auto* added = request.add_groups();
    for (const auto& step : group) *added->add_steps() = step;
  }
  return request;
}
inline amodel::Response Rsp(const std::string& message = "") {
  amodel::Response response;
  response.set_message(message);
  return response;
}

inline Command Cmd(const std::string& name, const amodel::Request& request) {
  Command command;
  command.set_service_name(kModel);
  command.set_name(name);
  *command.mutable_payload() = Pack(request);
  return command;
}
inline Command Head(const std::string& name) {
  Command command;
  command.set_service_name(kModel);
  command.set_name(name);
  return command;
}
inline Command Msg(const amodel::Request& request) {
  Command command;
  *command.mutable_payload() = Pack(request);
  return command;
}
inline Command Call2(const std::string& id) {
  amodel::OtherRequest request;
  request.set_id(id);
  Command command;
  command.set_service_name(kTwo);
  command.set_name("Call");
  *command.mutable_payload() = Pack(request);
  return command;
}

inline ::cloudstate::SideEffect Se(const std::string& id, bool synchronous = false) {
  amodel::OtherRequest request;
  request.set_id(id);
  return SideEffectTo(kTwo, "Call", request, synchronous);
}

inline Response NoReply(std::initializer_list<::cloudstate::SideEffect> effects = {}) {
  Response response;
  for (const auto& effect : effects) *response.add_side_effects() = effect;
  return response;
}
inline Response ReplyR(const std::string& message, std::initializer_list<::cloudstate::SideEffect> effects = {}) {
  Response response = NoReply(effects);
  *response.mutable_reply()->mutable_payload() = Pack(Rsp(message));
  return response;
}
inline Response FwdR(const std::string& id, std::initializer_list<::cloudstate::SideEffect> effects = {}) {
  amodel::OtherRequest request;
  request.set_id(id);
  Response response = NoReply(effects);
  *response.mutable_forward() = ForwardTo(kTwo, "Call", request);
  return response;
}
inline Response FailureR(const std::string& description, std::initializer_list<::cloudstate::SideEffect> effects = {}) {
  Response response = NoReply(effects);
  response.mutable_failure()->set_description(description);
  return response;
}

}  // namespace cloudstate::tck::ac
