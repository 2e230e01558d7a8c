// The command/reply relay every entity bridge runs over its stream: register the command as the
// one waiting for a reply (failing it at once if the stream already ended), fail it if no reply
// comes within the relay timeout, and fail it if the user function ends the stream meanwhile.
#pragma once

#include <memory>
#include <string>

#include "proxy/bridge_context.h"
#include "proxy/bridge_state.h"
#include "proxy/grpc_status.h"

namespace cloudstate::proxy {

// `termination` is the description clients get, e.g. "Unexpected entity termination". Returns false
// when the command was failed instead of registered; the caller must then not send it.
inline bool AwaitReply(const std::shared_ptr<BridgeState>& state, const std::shared_ptr<const BridgeContext>& context,
                       const std::string& label, WaitingCommand waiting, const char* termination) {
  const int64_t command_id = waiting.id;
  if (!state->Expect(waiting)) {  // the stream ended since the engine checked Alive(): the command never left
    state->Fail(context->log, label, std::move(waiting), Status::CommandFailed(termination),
                "the stream to the user function had ended");
    return false;
  }
  std::weak_ptr<BridgeState> weak = state;
  context->env->ScheduleAt(context->env->Now() + context->relay_timeout, [weak, command_id, context, label,
                                                                          termination] {
    auto state = weak.lock();
    if (!state) return;
    WaitingCommand waiting = state->Take(command_id);
    if (!waiting.done) return;
    state->Fail(context->log, label, std::move(waiting), Status::DeadlineExceeded(termination),
                "no reply within " + std::to_string(context->relay_timeout.count()) + " ms");
  });
  return true;
}

// The stream ended: fails the waiting command, if any; an idle entity opens a new stream next time.
inline void OnStreamEnded(BridgeState& state, const LogSink& log, const std::string& label, const grpc::Status& status,
                          const char* termination) {
  WaitingCommand waiting = state.EndStream();
  if (!waiting.done) return;
  state.Fail(log, label, std::move(waiting), Status::CommandFailed(termination),
             "the user function ended the stream: " + Describe(status));
}

}  // namespace cloudstate::proxy
