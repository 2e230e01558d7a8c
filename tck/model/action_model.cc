#include "action_model.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cloudstate/tck/model/action.pb.h"

namespace cloudstate::tck {
namespace {

namespace am = ::cloudstate::tck::model::action;

constexpr const char* kTwo = "cloudstate.tck.model.action.ActionTwo";

// One response of the model before it is handed to the context: the last of reply / forward /
// fail wins, side effects accumulate whatever wins.
struct Outcome {
  enum class Kind { kNone, kReply, kForward, kFail };
  Kind kind = Kind::kNone;
  std::string text;  // the reply message, the forward id or the failure description
  std::vector<std::pair<std::string, bool>> effects;  // (id, synchronous)
};

Outcome FromGroup(const am::ProcessGroup& group) {
  Outcome outcome;
  for (const am::ProcessStep& step : group.steps()) {
    switch (step.step_case()) {
      case am::ProcessStep::kReply:
        outcome.kind = Outcome::Kind::kReply;
        outcome.text = step.reply().message();
        break;
      case am::ProcessStep::kForward:
        outcome.kind = Outcome::Kind::kForward;
        outcome.text = step.forward().id();
        break;
      case am::ProcessStep::kFail:
        outcome.kind = Outcome::Kind::kFail;
        outcome.text = step.fail().message();
        break;
      case am::ProcessStep::kEffect:
        outcome.effects.emplace_back(step.effect().id(), step.effect().synchronous());
        break;
      case am::ProcessStep::STEP_NOT_SET:
        break;
    }
  }
  return outcome;
}

// Folds several responses into one: a response with a primary action replaces the accumulated
// one and keeps the side effects gathered so far after its own; one without adds its effects.
Outcome Fold(const std::vector<Outcome>& outcomes) {
  Outcome folded;
  for (const Outcome& outcome : outcomes) {
    if (outcome.kind == Outcome::Kind::kNone) {
      folded.effects.insert(folded.effects.end(), outcome.effects.begin(), outcome.effects.end());
      continue;
    }
    Outcome next = outcome;
    next.effects.insert(next.effects.end(), folded.effects.begin(), folded.effects.end());
    folded = std::move(next);
  }
  return folded;
}

EntityCommand CallTwo(const std::string& id) {
  am::OtherRequest request;
  request.set_id(id);
  return MakeCommand(kTwo, "", "Call", request);
}

void Respond(const Outcome& outcome, ActionContext& context) {
  for (const auto& [id, synchronous] : outcome.effects) context.SideEffect(CallTwo(id), synchronous);
  switch (outcome.kind) {
    case Outcome::Kind::kReply: {
      am::Response response;
      response.set_message(outcome.text);
      context.Reply(response);
      break;
    }
    case Outcome::Kind::kForward:
      context.Forward(CallTwo(outcome.text));
      break;
    case Outcome::Kind::kFail:
      context.Fail(outcome.text);
      break;
    case Outcome::Kind::kNone:
      break;
  }
}

bool Unpack(const google::protobuf::Any& any, am::Request& request, ActionContext& context) {
  if (any.UnpackTo(&request)) return true;
  context.Fail("expected a Request but got " + any.type_url());
  return false;
}

class ModelAction : public Action {
 public:
  void HandleUnary(const google::protobuf::Any& command, ActionContext& context) override {
    am::Request request;
    if (!Unpack(command, request, context)) return;
    std::vector<Outcome> outcomes;
    for (const am::ProcessGroup& group : request.groups()) outcomes.push_back(FromGroup(group));
    Respond(Fold(outcomes), context);
  }

  void HandleStreamedOut(const google::protobuf::Any& command, ActionContext& context) override {
    am::Request request;
    if (!Unpack(command, request, context)) return;
    for (const am::ProcessGroup& group : request.groups()) {
      Respond(FromGroup(group), context);
      context.Send();
    }
  }

  // Streamed-in calls gather every group and answer once, at the end; duplex calls answer each
  // group at once.
  void HandleStreamedMessage(const google::protobuf::Any& message, ActionContext& context) override {
    am::Request request;
    if (!Unpack(message, request, context)) return;
    const bool duplex = context.CommandName() == "ProcessStreamed";
    for (const am::ProcessGroup& group : request.groups()) {
      if (duplex) {
        Respond(FromGroup(group), context);
        context.Send();
      } else {
        gathered_.push_back(FromGroup(group));
      }
    }
  }

  void HandleStreamEnd(ActionContext& context) override {
    if (context.CommandName() == "ProcessStreamedIn") Respond(Fold(gathered_), context);
  }

 private:
  std::vector<Outcome> gathered_;
};

class TwoAction : public Action {
 public:
  void HandleUnary(const google::protobuf::Any&, ActionContext& context) override { context.Reply(am::Response()); }
};

}  // namespace

Status AddActionModel(FunctionServer& server) {
  const google::protobuf::FileDescriptor* file = am::Request::descriptor()->file();
  Status status = server.AddAction(file->FindServiceByName("ActionTckModel"),
                                   [] { return std::make_unique<ModelAction>(); });
  if (!status.ok()) return status;
  return server.AddAction(file->FindServiceByName("ActionTwo"), [] { return std::make_unique<TwoAction>(); });
}

}  // namespace cloudstate::tck
