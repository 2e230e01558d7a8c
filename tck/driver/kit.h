// The kit: checks that the proxy under test reaches the user function through the interceptor,
// takes the discovery it recorded, runs every case in the original kit's order and prints one line
// per case, then "N passed, N failed, N skipped".
#pragma once

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "case.h"
#include "interceptor/recording.h"
#include "tck.h"

namespace cloudstate::tck {

struct CaseOutcome {
  enum class Result { kPassed, kFailed, kSkipped };
  std::string id;
  std::string name;
  Result result = Result::kSkipped;
  std::string detail;  // the failure, or the reason for skipping
};

struct KitReport {
  Status startup;  // not OK when the kit could not start (no discovery, proxy unreachable)
  std::vector<CaseOutcome> cases;
  int passed = 0;
  int failed = 0;
  int skipped = 0;
};

// Every case of every group, in order.
std::vector<Case> AllCases();

// Runs the cases against the proxy of `settings`, which must use the interceptor that fills
// `recorder` as its user function. `startup_timeout` bounds the wait for the function, the
// proxy's discovery and the proxy's port.
KitReport RunKit(const TckSettings& settings, Recorder& recorder, std::chrono::milliseconds startup_timeout,
                 std::ostream& out);

}  // namespace cloudstate::tck
