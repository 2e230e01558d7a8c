// What every protocol bridge of one sidecar shares: the channel to the user function, the store,
// the clock, how long a command may wait for its reply, how to resolve forward targets, how to tell
// the user function about its mistakes, and the log.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "cloudstate/env.h"
#include "cloudstate/log.h"
#include "cloudstate/store.h"
#include "proxy/call_tracker.h"
#include "proxy/protocol_outcome.h"

namespace cloudstate::proxy {

struct BridgeContext {
  // Does not own the channel: the sidecar does, and keeps it until `calls` is idle (see CallTracker).
  std::shared_ptr<grpc::Channel> channel;
  std::shared_ptr<CallTracker> calls;
  Store* store = nullptr;
  Env* env = nullptr;
  std::chrono::milliseconds relay_timeout{60'000};
  TargetResolver resolve;
  // Tells the user function what it did wrong and logs a warning: for targets nobody serves,
  // which only the report describes whole.
  ErrorReporter report_error;
  // Only tells the user function: for protocol violations the bridge has logged itself.
  ErrorReporter report_violation;
  LogSink log;
};

}  // namespace cloudstate::proxy
