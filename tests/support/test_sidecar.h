// A sidecar in the test's own process, in front of a user function on a local port: the options
// every in-process sidecar test starts from, and starting one that serves.
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>

#include "proxy/sidecar.h"

namespace cloudstate::testing {

// Loopback on a free port, a memory store, two workers, rediscovery within 200 ms, no log lines
// (the failures the tests provoke would fill the output). Tests change what they are about.
inline proxy::SidecarOptions TestSidecarOptions(int function_port) {
  using namespace std::chrono_literals;
  proxy::SidecarOptions options;
  options.bind_address = "127.0.0.1";
  options.port = 0;
  options.user_function_port = function_port;
  options.store.kind = "memory";
  options.worker_threads = 2;
  options.backoff_min = 20ms;
  options.backoff_max = 200ms;
  options.log = [](LogLevel, const std::string&) {};
  return options;
}

// Starts a sidecar and waits until it serves the function's services; REQUIREs both.
inline std::unique_ptr<proxy::Sidecar> StartServingSidecar(proxy::SidecarOptions options) {
  auto started = proxy::Sidecar::Start(std::move(options));
  REQUIRE_MESSAGE(started.ok(), started.status().ToString());
  Status ready = (*started)->WaitUntilReady(std::chrono::seconds(10));
  REQUIRE_MESSAGE(ready.ok(), ready.ToString());
  return std::move(*started);
}

}  // namespace cloudstate::testing
