// One ValueEntity.handle stream from the user function's side: checks the grammar (init command*),
// hands the entity its initial state and commands, and turns results into replies with state
// actions. Misuse by the caller ends the stream with ValueEntityStreamOut.failure.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "cloudstate/value_entity.pb.h"
#include "function/registry.h"
#include "function/session_step.h"

namespace cloudstate::function {

class ValueEntitySession {
 public:
  using In = ::cloudstate::valueentity::ValueEntityStreamIn;
  using Out = ::cloudstate::valueentity::ValueEntityStreamOut;
  using Step = SessionStep<Out>;

  explicit ValueEntitySession(std::shared_ptr<const Registry> registry);

  Step Handle(const In& in);

 private:
  Step Init(const ::cloudstate::valueentity::ValueEntityInit& init);
  Step OnCommand(const ::cloudstate::Command& command);
  Step Fatal(int64_t command_id, Status status);
  std::string Label() const;

  std::shared_ptr<const Registry> registry_;
  const ServiceEntry* service_ = nullptr;
  std::string entity_id_;
  std::unique_ptr<ValueInstance> instance_;
  bool initialised_ = false;
  bool broken_ = false;
};

}  // namespace cloudstate::function
