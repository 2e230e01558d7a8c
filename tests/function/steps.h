// Builders for the test services' requests: Req("id", {Emit("A"), Fail("no")}).
#pragma once

#include <initializer_list>
#include <string>

#include "fntest.pb.h"

namespace fntest_support {

inline fntest::Step Emit(const std::string& value) {
  fntest::Step step;
  step.set_emit(value);
  return step;
}
inline fntest::Step Fail(const std::string& message) {
  fntest::Step step;
  step.set_fail(message);
  return step;
}
inline fntest::Step Forward(const std::string& id) {
  fntest::Step step;
  step.set_forward(id);
  return step;
}
inline fntest::Step Effect(const std::string& id, bool synchronous = false) {
  fntest::Step step;
  step.mutable_effect()->set_id(id);
  step.mutable_effect()->set_synchronous(synchronous);
  return step;
}
inline fntest::Step Crash(const std::string& message) {
  fntest::Step step;
  step.set_crash(message);
  return step;
}
inline fntest::Step ReplyStep(const std::string& message) {
  fntest::Step step;
  step.set_reply(message);
  return step;
}
inline fntest::Step Update(const std::string& value) {
  fntest::Step step;
  step.set_update(value);
  return step;
}
inline fntest::Step Delete() {
  fntest::Step step;
  step.set_delete_(true);
  return step;
}
inline fntest::Step ReplyTwice() {
  fntest::Step step;
  step.set_reply_twice(true);
  return step;
}
inline fntest::Step NoReply() {
  fntest::Step step;
  step.set_no_reply(true);
  return step;
}
inline fntest::Step ForwardToMissingMethod(const std::string& id) {
  fntest::Step step;
  step.set_forward_to_missing_method(id);
  return step;
}

inline fntest::Request Req(const std::string& id, std::initializer_list<fntest::Step> steps = {}) {
  fntest::Request request;
  request.set_id(id);
  for (const fntest::Step& step : steps) *request.add_steps() = step;
  return request;
}

inline fntest::Persisted Persisted(const std::string& value) {
  fntest::Persisted persisted;
  persisted.set_value(value);
  return persisted;
}

inline fntest::Response Response(const std::string& message) {
  fntest::Response response;
  response.set_message(message);
  return response;
}

inline fntest::Group Group(std::initializer_list<fntest::Step> steps) {
  fntest::Group group;
  for (const fntest::Step& step : steps) *group.add_steps() = step;
  return group;
}

inline fntest::ActionRequest ActionReq(std::initializer_list<fntest::Group> groups) {
  fntest::ActionRequest request;
  for (const fntest::Group& group : groups) *request.add_groups() = group;
  return request;
}

}  // namespace fntest_support
