// What the event-sourced and value-entity bridges share over their stream to the user function:
// opening it with callbacks that may outlive the bridge, and the checks every message from the
// function passes before its reply is looked at.
#pragma once

#include <memory>
#include <string>
#include <type_traits>

#include "cloudstate/store.h"
#include "proxy/bidi_stream.h"
#include "proxy/bridge_context.h"
#include "proxy/bridge_relay.h"
#include "proxy/bridge_state.h"

namespace cloudstate::proxy {

// Who a stream belongs to, for its callbacks.
struct BridgeOwner {
  std::shared_ptr<const BridgeContext> context;
  std::string service;
  EntityKey key;
  std::string label;  // e.g. "value entity <service>/<id>", for the log
};

// The descriptions clients get when the function misbehaves, in the reference's words.
struct BridgeWording {
  const char* failure;      // it sent a Failure
  const char* empty;        // a message with nothing in it
  const char* reply;        // a reply to a command that is not waiting
  const char* termination;  // the stream ended, or no reply came in time
};

template <typename In, typename Out>
using OnBridgeMessage = void (*)(const std::shared_ptr<BridgeState>& state, const std::shared_ptr<const BridgeOwner>& owner,
                                 Out message);

// Opens the entity's stream on `Service` (its stub goes to *stub, which must outlive the stream's
// start). Messages go to `on_message` while the bridge's state lives; the stream's end fails the
// waiting command. Cancelling the state cancels the stream.
template <typename Service, typename In, typename Out>
std::shared_ptr<BidiStream<In, Out>> OpenBridgeStream(const std::shared_ptr<BridgeState>& state,
                                                      std::shared_ptr<const BridgeOwner> owner,
                                                      const BridgeWording& wording, OnBridgeMessage<In, Out> on_message,
                                                      std::unique_ptr<typename Service::Stub>* stub) {
  using Stream = BidiStream<In, Out>;
  *stub = Service::NewStub(owner->context->channel);
  std::weak_ptr<BridgeState> weak = state;
  const char* termination = wording.termination;
  CallTracker& calls = *owner->context->calls;
  typename Stream::Handlers handlers{
      [weak, owner, on_message](Out message) {
        if (auto alive = weak.lock()) on_message(alive, owner, std::move(message));
      },
      [weak, owner, termination](const grpc::Status& status) {
        if (auto alive = weak.lock()) OnStreamEnded(*alive, owner->context->log, owner->label, status, termination);
      }};
  auto stream = Stream::Open(
      [started = stub->get()](grpc::ClientContext* context, grpc::ClientBidiReactor<In, Out>* reactor) {
        started->async()->handle(context, reactor);
      },
      std::move(handlers), calls);
  state->SetCanceller([open = std::weak_ptr<Stream>(stream)] {
    if (auto stream = open.lock()) stream->Cancel();
  });
  return stream;
}

// The head of handling a message from the function: a failure, an empty message or a reply to a
// command that is not waiting crashes the entity (its waiting command fails with the wording) and
// gives nullptr. Otherwise the reply, with the command it answers in *waiting.
template <typename Out>
auto* TakeReply(BridgeState& state, const BridgeOwner& owner, Out& message, const BridgeWording& wording,
                WaitingCommand* waiting) {
  using Reply = std::remove_pointer_t<decltype(message.mutable_reply())>;
  const LogSink& log = owner.context->log;
  if (message.has_failure()) {
    state.Crash(log, owner.label, Status::CommandFailed(wording.failure),
                "the user function failed: " + message.failure().description());
    return static_cast<Reply*>(nullptr);
  }
  if (!message.has_reply()) {
    state.Crash(log, owner.label, Status::CommandFailed(wording.empty), "an empty message");
    return static_cast<Reply*>(nullptr);
  }
  Reply* reply = message.mutable_reply();
  *waiting = state.Take(reply->command_id());
  if (!waiting->done) {
    state.Crash(log, owner.label, Status::CommandFailed(wording.reply),
                "a reply to command id " + std::to_string(reply->command_id()) + ", which is not waiting");
    return static_cast<Reply*>(nullptr);
  }
  return reply;
}

}  // namespace cloudstate::proxy
