// One ActionProtocol call from the user function's side, whatever its shape: finds the service and
// method named by the first message, checks that the protocol method matches the rpc's streaming
// shape, and turns the action's outcomes into ActionResponses. Misuse is answered with a failure
// response, after which the call ends.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cloudstate/action.pb.h"
#include "function/registry.h"

namespace cloudstate::function {

enum class ActionShape { kUnary, kStreamedIn, kStreamedOut, kStreamed };

struct ActionStep {
  std::vector<::cloudstate::action::ActionResponse> out;  // to send, in order
  bool finish = false;  // end the call after sending `out`
};

class ActionSession {
 public:
  ActionSession(std::shared_ptr<const Registry> registry, ActionShape shape);

  // The first message: the only one of unary and streamed-out calls, the head of the others.
  ActionStep Start(const ::cloudstate::action::ActionCommand& command);
  // A later message of a streamed-in or duplex call.
  ActionStep Next(const ::cloudstate::action::ActionCommand& command);
  // The caller half-closed a streamed-in or duplex call; always finishes.
  ActionStep End();

 private:
  ActionStep Fail(std::string description);
  void Append(std::vector<Outcome> outcomes, ActionStep& step) const;
  std::string Label() const;

  std::shared_ptr<const Registry> registry_;
  const ActionShape shape_;
  std::string service_name_;
  std::string method_name_;
  std::unique_ptr<ActionInstance> instance_;
  bool finished_ = false;
};

}  // namespace cloudstate::function
