// Actions: stateless functions served beside entities. An action has no state and no entity id; it
// answers a call with zero or more responses, each a reply, a forward or a failure, possibly with
// side effects. The four shapes of a gRPC method map to four handler methods.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <google/protobuf/any.pb.h>
#include <google/protobuf/message.h>

#include "cloudstate/command.h"
#include "cloudstate/metadata.h"

namespace cloudstate {

// Builds the responses of one call. Valid only during the handler call that receives it; called
// from that call's thread only.
//
// A response holds at most one of Reply, Forward or Fail (calling a second one breaks the call: the
// caller gets a failure instead) plus the side effects added with it. A response with none of the
// three is a "no reply": the caller receives nothing for it, its side effects still run. Unlike an
// entity's, a failed response keeps its side effects.
//
// Unary and streamed-in calls have exactly one response, sent when the call ends (a Fail ends a
// streamed-in call early). Streamed-out and duplex calls send a response at each Send(), and the
// one pending when a handler method returns (if anything was added to it); a Fail() there ends
// that response, not the call.
class ActionContext {
 public:
  virtual ~ActionContext() = default;

  // Full name of the served service (e.g. "com.example.Echo") and the rpc method name ("Ping").
  virtual const std::string& ServiceName() const = 0;
  virtual const std::string& CommandName() const = 0;
  // The metadata the call started with (for streamed-in and duplex calls, the stream's).
  virtual const MetadataEntries& CallMetadata() const = 0;
  // The metadata of the message being handled; the call's for unary and streamed-out calls, empty
  // in HandleStreamEnd.
  virtual const MetadataEntries& MessageMetadata() const = 0;

  virtual void Reply(google::protobuf::Any payload, MetadataEntries metadata = {}) = 0;
  void Reply(const google::protobuf::Message& message, MetadataEntries metadata = {}) {
    google::protobuf::Any any;
    any.PackFrom(message);
    Reply(std::move(any), std::move(metadata));
  }

  // The response becomes the result of `command` (entity_type = full service name, name = method;
  // entity_id is not used, the receiver takes the key from the payload).
  virtual void Forward(EntityCommand command) = 0;

  // The response is an error for the caller, with `description` as its message.
  virtual void Fail(std::string description) = 0;

  // Runs `command` when the response is delivered; a synchronous one completes first.
  virtual void SideEffect(EntityCommand command, bool synchronous = false) = 0;

  // Streamed-out and duplex calls only: sends the response built so far, even an empty one, and
  // starts the next. Elsewhere it breaks the call.
  virtual void Send() = 0;
};

// One instance per call, made by the ActionFactory; its methods are called one at a time, so it may
// keep per-call state in members without locking. Throwing from any method breaks the call: the
// caller gets a failure and the call ends. The default of each method fails the call, so an action
// implements only the shapes its service declares.
class Action {
 public:
  virtual ~Action() = default;

  // A unary rpc: one message in, one response out.
  virtual void HandleUnary(const google::protobuf::Any& command, ActionContext& context) {
    (void)command;
    context.Fail(Unimplemented(context, "unary"));
  }

  // A server-streaming rpc: one message in, any number of responses out; the call ends when this
  // returns.
  virtual void HandleStreamedOut(const google::protobuf::Any& command, ActionContext& context) {
    (void)command;
    context.Fail(Unimplemented(context, "streamed-out"));
  }

  // Client-streaming and bidirectional rpcs: called once per message from the caller, in order.
  // A client-streaming call's single response is built across all calls and sent after
  // HandleStreamEnd, or at once when a call ends it with Fail (the rest of the stream is then not
  // read); a duplex call may send responses from each.
  virtual void HandleStreamedMessage(const google::protobuf::Any& message, ActionContext& context) {
    (void)message;
    context.Fail(Unimplemented(context, "streamed"));
  }

  // The caller finished sending (client-streaming and bidirectional rpcs); the call ends after it.
  virtual void HandleStreamEnd(ActionContext& context) { (void)context; }

 private:
  static std::string Unimplemented(const ActionContext& context, const char* shape) {
    return context.ServiceName() + "." + context.CommandName() + ": this action does not handle " + shape +
           " calls";
  }
};

// Creates the handler of one call. Called from any thread, concurrently: must be thread-safe.
using ActionFactory = std::function<std::unique_ptr<Action>()>;

}  // namespace cloudstate
