// The caller's side of a streamed command, as an entity runtime sees it: where the messages after
// the reply go, how the stream ends, and how the runtime learns that the caller went away.
#pragma once

#include <functional>

#include "cloudstate/status.h"
#include "entity/command_outcome.h"

namespace cloudstate {

// Safe to call from any thread. Messages are delivered in the order they were sent, after the
// command's reply.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // One message: a reply (delivered when it has a payload), a forward (its result is delivered) or
  // a failure (ends the stream with it); side effects run first. Once the caller has gone away only
  // the side effects run.
  virtual void Send(CommandOutcome message) = 0;
  // Ends the stream after the messages sent before; OK for a normal end. Later calls do nothing.
  virtual void End(Status status) = 0;
  // `cancelled` runs once when the caller goes away before the end (at once if it already has).
  virtual void OnCancel(std::function<void()> cancelled) = 0;
};

}  // namespace cloudstate
