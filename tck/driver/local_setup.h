// The kit's default arrangement in one process: the model user function, the interceptor in
// front of it and our sidecar (memory store) pointed at the interceptor, all on free ports.
#pragma once

#include <chrono>
#include <memory>

#include "cloudstate/log.h"
#include "cloudstate/status.h"
#include "interceptor/alteration.h"
#include "interceptor/recording.h"
#include "tck.h"

namespace cloudstate::tck {

struct LocalSetupOptions {
  // The sidecar's limit for a user-function reply.
  std::chrono::milliseconds relay_timeout{60'000};
  // For the kit's own tests; must outlive the setup.
  TrafficAlteration* alteration = nullptr;
  // The function's and the sidecar's logs; nullptr for warnings and errors on stderr.
  LogSink log;
};

class LocalSetup {
 public:
  static Result<std::unique_ptr<LocalSetup>> Start(LocalSetupOptions options);
  virtual ~LocalSetup() = default;  // stops the sidecar, the interceptor and the function

  // Where the kit finds the sidecar and the model function (default features and timeout).
  virtual TckSettings settings() const = 0;
  virtual Recorder& recorder() = 0;
};

}  // namespace cloudstate::tck
