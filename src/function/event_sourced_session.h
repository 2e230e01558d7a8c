// One EventSourced.handle stream from the user function's side: checks the stream grammar
// (init event* command*), feeds the entity its snapshot, events and commands, and turns its results
// into replies. Misuse by the caller ends the stream with EventSourcedStreamOut.failure (the proxy
// then stops the entity); a handler crash answers the command with a failure asking for a restart.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "cloudstate/event_sourced.pb.h"
#include "function/registry.h"
#include "function/session_step.h"

namespace cloudstate::function {

class EventSourcedSession {
 public:
  using In = ::cloudstate::eventsourced::EventSourcedStreamIn;
  using Out = ::cloudstate::eventsourced::EventSourcedStreamOut;
  using Step = SessionStep<Out>;

  explicit EventSourcedSession(std::shared_ptr<const Registry> registry);

  Step Handle(const In& in);

 private:
  enum class State { kAwaitInit, kReplaying, kServing, kRestarting, kBroken };

  Step Init(const ::cloudstate::eventsourced::EventSourcedInit& init);
  Step Event(const ::cloudstate::eventsourced::EventSourcedEvent& event);
  Step OnCommand(const ::cloudstate::Command& command);
  // Ends the stream with a protocol failure.
  Step Fatal(int64_t command_id, Status status);
  std::string Label() const;

  std::shared_ptr<const Registry> registry_;
  const ServiceEntry* service_ = nullptr;
  std::string entity_id_;
  std::unique_ptr<EventSourcedInstance> instance_;
  int64_t sequence_ = 0;  // of the snapshot or last replayed event
  State state_ = State::kAwaitInit;
};

}  // namespace cloudstate::function
