// The eventing cases' messages: the steps an emitted event carries (Reply, Forward), the requests
// that make the entities emit, and the subscriber's answers.
#pragma once

#include <string>

#include "cloudstate/tck/model/eventlogeventing.grpc.pb.h"
#include "cloudstate/tck/model/eventlogeventing.pb.h"

namespace cloudstate::tck::ev {

namespace emodel = ::cloudstate::tck::model::eventlogeventing;

inline const std::string kSubscriber = "cloudstate.tck.model.eventlogeventing.EventLogSubscriberModel";
inline const std::string kOne = "cloudstate.tck.model.eventlogeventing.EventSourcedEntityOne";
inline const std::string kTwo = "cloudstate.tck.model.eventlogeventing.EventSourcedEntityTwo";

inline emodel::ProcessStep Reply(const std::string& message) {
  emodel::ProcessStep step;
  step.mutable_reply()->set_message(message);
  return step;
}
inline emodel::ProcessStep Forward(const std::string& message) {
  emodel::ProcessStep step;
  step.mutable_forward()->set_message(message);
  return step;
}

inline emodel::EventOne One(const emodel::ProcessStep& step) {
  emodel::EventOne event;
  *event.mutable_step() = step;
  return event;
}

// EventSourcedEntityOne emits `event` for entity `id`.
inline emodel::EmitEventRequest EmitOne(const std::string& id, const emodel::EventOne& event) {
  emodel::EmitEventRequest request;
  request.set_id(id);
  *request.mutable_event_one() = event;
  return request;
}

inline emodel::JsonEvent Json(const std::string& id, const std::string& message) {
  emodel::JsonEvent event;
  event.set_id(id);
  event.set_message(message);
  return event;
}

inline emodel::Response Rsp(const std::string& id, const std::string& message) {
  emodel::Response response;
  response.set_id(id);
  response.set_message(message);
  return response;
}

inline emodel::EffectRequest EffectReq(const std::string& id, const std::string& message) {
  emodel::EffectRequest request;
  request.set_id(id);
  request.set_message(message);
  return request;
}

}  // namespace cloudstate::tck::ev
