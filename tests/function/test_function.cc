// Handler side of the protocol tests: the test entities and action, written against the public
// API exactly as an application would, and the server that serves them.
#include "test_function.h"

#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <stdexcept>

#include "cloudstate/function_server.h"
#include "fntest.pb.h"
#include "test_server.h"

namespace fntest_support {
namespace {

using cloudstate::ActionContext;
using cloudstate::EventSourcedCommandContext;
using cloudstate::MakeCommand;
using cloudstate::Status;

const google::protobuf::ServiceDescriptor* Service(const char* name) {
  return fntest::Request::descriptor()->file()->FindServiceByName(name);
}

fntest::Response Respond(std::string message) {
  fntest::Response response;
  response.set_message(std::move(message));
  return response;
}

cloudstate::EntityCommand CallTwo(const std::string& id, const std::string& method = "Call") {
  fntest::Request request;
  request.set_id(id);
  return MakeCommand("fntest.Two", id, method, request);
}

// The event-sourced model: state is the concatenation of its events' values.
class ModelEntity final : public cloudstate::EventSourcedEntity {
 public:
  Status HandleSnapshot(const google::protobuf::Any& snapshot, int64_t) override {
    fntest::Persisted persisted;
    if (!snapshot.UnpackTo(&persisted)) return Status::InvalidArgument("not a Persisted snapshot");
    state_ = persisted.value();
    return Status::Ok();
  }

  Status HandleEvent(const google::protobuf::Any& event, int64_t) override {
    fntest::Persisted persisted;
    if (!event.UnpackTo(&persisted)) return Status::InvalidArgument("not a Persisted event: " + event.type_url());
    state_ += persisted.value();
    return Status::Ok();
  }

  void HandleCommand(const google::protobuf::Any& command, EventSourcedCommandContext& context) override {
    fntest::Request request;
    if (!command.UnpackTo(&request)) return context.Fail("not a Request");
    bool replied = false;
    for (const fntest::Step& step : request.steps()) {
      switch (step.step_case()) {
        case fntest::Step::kEmit: {
          fntest::Persisted event;
          event.set_value(step.emit());
          context.Emit(event);
          break;
        }
        case fntest::Step::kFail:
          return context.Fail(step.fail());
        case fntest::Step::kForward:
          context.Forward(CallTwo(step.forward()));
          replied = true;
          break;
        case fntest::Step::kForwardToMissingMethod:
          context.Forward(CallTwo(step.forward_to_missing_method(), "Missing"));
          replied = true;
          break;
        case fntest::Step::kEffect:
          context.SideEffect(CallTwo(step.effect().id()), step.effect().synchronous());
          break;
        case fntest::Step::kCrash:
          throw std::runtime_error(step.crash());
        case fntest::Step::kReplyTwice:
          context.Reply(Respond(state_));
          context.Reply(Respond(state_));
          return;
        case fntest::Step::kNoReply:
          replied = true;
          break;
        default:
          return context.Fail("unsupported step");
      }
    }
    if (!replied) context.Reply(Respond(state_));
  }

  std::optional<google::protobuf::Any> Snapshot() override {
    fntest::Persisted persisted;
    persisted.set_value(state_);
    google::protobuf::Any any;
    any.PackFrom(persisted);
    return any;
  }

 private:
  std::string state_;
};

// Replies with an empty Response to anything.
class EmptyReplyEntity final : public cloudstate::EventSourcedEntity {
 public:
  Status HandleEvent(const google::protobuf::Any&, int64_t) override { return Status::Ok(); }
  void HandleCommand(const google::protobuf::Any&, EventSourcedCommandContext& context) override {
    context.Reply(fntest::Response());
  }
};

// The value-entity model: the state is a Persisted; replies with its value.
class ValueModelEntity final : public cloudstate::ValueEntity {
 public:
  void HandleCommand(const google::protobuf::Any& command, cloudstate::ValueCommandContext& context) override {
    fntest::Request request;
    if (!command.UnpackTo(&request)) return context.Fail("not a Request");
    bool replied = false;
    for (const fntest::Step& step : request.steps()) {
      switch (step.step_case()) {
        case fntest::Step::kUpdate: {
          fntest::Persisted state;
          state.set_value(step.update());
          context.UpdateState(state);
          break;
        }
        case fntest::Step::kDelete:
          context.DeleteState();
          break;
        case fntest::Step::kFail:
          return context.Fail(step.fail());
        case fntest::Step::kForward:
          context.Forward(CallTwo(step.forward()));
          replied = true;
          break;
        case fntest::Step::kEffect:
          context.SideEffect(CallTwo(step.effect().id()), step.effect().synchronous());
          break;
        case fntest::Step::kCrash:
          throw std::runtime_error(step.crash());
        case fntest::Step::kNoReply:
          replied = true;
          break;
        default:
          return context.Fail("unsupported step");
      }
    }
    if (replied) return;
    fntest::Persisted state;
    if (context.State() != nullptr) context.State()->UnpackTo(&state);
    context.Reply(Respond(state.value()));
  }
};

// What one group of action steps asks for (the TCK's action model): a primary (the last reply,
// forward or failure) and the side effects in order.
struct ActionResult {
  enum class Primary { kNone, kReply, kForward, kFail } primary = Primary::kNone;
  std::string value;
  std::vector<fntest::Effect> effects;
};

// The action: every group of every request is one response, except that unary and client-streaming
// calls fold them into one (a later primary wins; side effects accumulate).
class ModelAction final : public cloudstate::Action {
 public:
  void HandleUnary(const google::protobuf::Any& command, ActionContext& context) override {
    ActionResult folded;
    for (const ActionResult& result : Groups(command, context)) Fold(folded, result);
    Apply(folded, context);
  }

  void HandleStreamedOut(const google::protobuf::Any& command, ActionContext& context) override {
    for (const ActionResult& result : Groups(command, context)) {
      Apply(result, context);
      context.Send();
    }
  }

  void HandleStreamedMessage(const google::protobuf::Any& message, ActionContext& context) override {
    bool streamed_out = context.CommandName() == "Streamed";
    for (const ActionResult& result : Groups(message, context)) {
      if (streamed_out) {
        Apply(result, context);
        context.Send();
      } else {
        Fold(folded_, result);
      }
    }
  }

  void HandleStreamEnd(ActionContext& context) override {
    if (context.CommandName() == "StreamedIn") Apply(folded_, context);
  }

 private:
  static std::string Join(const cloudstate::MetadataEntries& metadata) {
    std::string text;
    for (const auto& [key, value] : metadata) text += key + "=" + value + ";";
    return text;
  }

  static std::vector<ActionResult> Groups(const google::protobuf::Any& any, const ActionContext& context) {
    fntest::ActionRequest request;
    if (!any.UnpackTo(&request)) throw std::invalid_argument("not an ActionRequest: " + any.type_url());
    std::vector<ActionResult> results;
    for (const fntest::Group& group : request.groups()) {
      ActionResult result;
      for (const fntest::Step& step : group.steps()) {
        switch (step.step_case()) {
          case fntest::Step::kReply:
            result.primary = ActionResult::Primary::kReply;
            result.value = step.reply();
            if (result.value == "@call-metadata") result.value = Join(context.CallMetadata());
            if (result.value == "@message-metadata") result.value = Join(context.MessageMetadata());
            break;
          case fntest::Step::kForward:
            result.primary = ActionResult::Primary::kForward;
            result.value = step.forward();
            break;
          case fntest::Step::kFail:
            result.primary = ActionResult::Primary::kFail;
            result.value = step.fail();
            break;
          case fntest::Step::kEffect:
            result.effects.push_back(step.effect());
            break;
          case fntest::Step::kCrash:
            throw std::runtime_error(step.crash());
          default:
            throw std::invalid_argument("unsupported action step");
        }
      }
      results.push_back(std::move(result));
    }
    return results;
  }

  static void Fold(ActionResult& into, const ActionResult& next) {
    if (next.primary == ActionResult::Primary::kNone) {
      into.effects.insert(into.effects.end(), next.effects.begin(), next.effects.end());
      return;
    }
    ActionResult merged = next;
    merged.effects.insert(merged.effects.end(), into.effects.begin(), into.effects.end());
    into = std::move(merged);
  }

  static void Apply(const ActionResult& result, ActionContext& context) {
    switch (result.primary) {
      case ActionResult::Primary::kNone: break;
      case ActionResult::Primary::kReply: context.Reply(Respond(result.value)); break;
      case ActionResult::Primary::kForward: context.Forward(CallTwo(result.value)); break;
      case ActionResult::Primary::kFail: context.Fail(result.value); break;
    }
    for (const fntest::Effect& effect : result.effects) context.SideEffect(CallTwo(effect.id()), effect.synchronous());
  }

  ActionResult folded_;
};

}  // namespace

std::unique_ptr<TestFunction> StartTestFunction() {
  auto function = std::make_unique<TestServer>();
  cloudstate::FunctionServer& server = function->server();
  std::atomic<int>* created = &function->value_handlers_created;

  cloudstate::EventSourcedOptions model;
  model.persistence_id = "model";
  model.snapshot_every = 5;
  REQUIRE(server.AddEventSourced(Service("Model"), [](const std::string&) { return std::make_unique<ModelEntity>(); },
                                 model)
              .ok());
  REQUIRE(server.AddEventSourced(Service("Two"), [](const std::string&) {
    return std::make_unique<EmptyReplyEntity>();
  }).ok());
  cloudstate::EventSourcedOptions configured;
  configured.persistence_id = "configured";
  configured.passivation_timeout = std::chrono::milliseconds(100);
  REQUIRE(server.AddEventSourced(Service("Configured"), [](const std::string&) {
    return std::make_unique<EmptyReplyEntity>();
  }, configured).ok());
  REQUIRE(server.AddValueEntity(Service("ValueModel"), [created](const std::string&) {
    created->fetch_add(1);
    return std::make_unique<ValueModelEntity>();
  }).ok());
  REQUIRE(server.AddAction(Service("Actions"), [] { return std::make_unique<ModelAction>(); }).ok());
  REQUIRE(server.AddAction(Service("Unimplemented"), [] { return std::make_unique<cloudstate::Action>(); }).ok());
  REQUIRE(function->Start());
  return function;
}

}  // namespace fntest_support
