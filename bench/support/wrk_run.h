// Runs wrk, the HTTP/1.1 load generator, against the keyed counter: POST /counter/<prefix><n>/add
// with n uniform in 1..keys, and reports what a consistency check needs besides the rate and the
// latency: how many adds were answered 200, how many otherwise, and how many went unanswered when
// wrk stopped (their outcome is unknown: the server may have applied them).
#pragma once

#include <chrono>
#include <string>

#include "cloudstate/status.h"

namespace cloudstate::bench {

struct WrkLoad {
  std::string wrk = "wrk";     // the program
  std::string url;             // http://127.0.0.1:<port>
  std::string key_prefix;
  int keys = 1000;
  int connections = 32;
  int threads = 2;
  std::chrono::seconds duration{20};
  std::string scratch_dir;  // where the Lua script is written
};

struct WrkResult {
  double requests_per_second = 0;
  double p50_us = 0;
  double p99_us = 0;
  long ok = 0;          // answered 200
  long failed = 0;      // answered with another status
  long unanswered = 0;  // sent (or being sent) when wrk stopped, or lost to a socket error
  long socket_errors = 0;  // connect, read, write and timeout errors, as wrk counts them
};

Result<WrkResult> RunWrk(const WrkLoad& load);

}  // namespace cloudstate::bench
