// Builders every group's messages share: payloads packed as Any, and the protocol's side effects,
// forwards and failures (entity.proto).
#pragma once

#include <cstdint>
#include <string>

#include <google/protobuf/any.pb.h>
#include <google/protobuf/message.h>

#include "cloudstate/entity.pb.h"

namespace cloudstate::tck {

inline google::protobuf::Any Pack(const google::protobuf::Message& message) {
  google::protobuf::Any any;
  any.PackFrom(message);
  return any;
}

inline ::cloudstate::SideEffect SideEffectTo(const std::string& service, const std::string& command,
                                             const google::protobuf::Message& payload, bool synchronous) {
  ::cloudstate::SideEffect effect;
  effect.set_service_name(service);
  effect.set_command_name(command);
  *effect.mutable_payload() = Pack(payload);
  effect.set_synchronous(synchronous);
  return effect;
}

inline ::cloudstate::Forward ForwardTo(const std::string& service, const std::string& command,
                                       const google::protobuf::Message& payload) {
  ::cloudstate::Forward forward;
  forward.set_service_name(service);
  forward.set_command_name(command);
  *forward.mutable_payload() = Pack(payload);
  return forward;
}

// An entity's failure of command `command_id`.
inline ::cloudstate::Failure FailureOf(int64_t command_id, const std::string& description, bool restart = false) {
  ::cloudstate::Failure failure;
  failure.set_command_id(command_id);
  failure.set_description(description);
  failure.set_restart(restart);
  return failure;
}

}  // namespace cloudstate::tck
