#include "serve_command.h"

#include <csignal>
#include <cstdlib>
#include <cxxopts.hpp>
#include <iostream>

#include "proxy/sidecar.h"

namespace cloudstate::cli {
namespace {

// The environment variable's value, or `fallback`.
std::string Env(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

Result<LogLevel> ParseLogLevel(const std::string& text) {
  if (text == "debug") return LogLevel::kDebug;
  if (text == "info") return LogLevel::kInfo;
  if (text == "warning") return LogLevel::kWarning;
  if (text == "error") return LogLevel::kError;
  return Status::InvalidArgument("unknown log level '" + text + "' (debug, info, warning, error)");
}

// Blocks until SIGTERM or SIGINT; the signals were blocked in every thread before they started.
int WaitForStopSignal(const sigset_t& signals) {
  int signal = 0;
  sigwait(&signals, &signal);
  return signal;
}

}  // namespace

int RunServe(int argc, char** argv) {
  cxxopts::Options options("cloudstate-cli serve", "Serve a user function's services with managed state.");
  options.add_options()
      ("bind", "client-facing address", cxxopts::value<std::string>()->default_value(Env("HTTP_INTERFACE", "0.0.0.0")))
      ("port", "client-facing port for gRPC and HTTP/1.1: /live, /ready, /metrics (env HTTP_PORT)",
       cxxopts::value<int>()->default_value(Env("HTTP_PORT", "9000")))
      ("max-http-body-bytes", "largest HTTP/1.1 request body accepted (env MAX_HTTP_BODY_BYTES)",
       cxxopts::value<size_t>()->default_value(Env("MAX_HTTP_BODY_BYTES", "12582912")))
      ("user-function-host", "user function host (env USER_FUNCTION_HOST)",
       cxxopts::value<std::string>()->default_value(Env("USER_FUNCTION_HOST", "127.0.0.1")))
      ("user-function-port", "user function port (env USER_FUNCTION_PORT)",
       cxxopts::value<int>()->default_value(Env("USER_FUNCTION_PORT", "8080")))
      ("store", "store kind: sqlite, leveldb or memory (env CLOUDSTATE_STORE)",
       cxxopts::value<std::string>()->default_value(Env("CLOUDSTATE_STORE", "sqlite")))
      ("store-path", "store file or directory (env CLOUDSTATE_STORE_PATH)",
       cxxopts::value<std::string>()->default_value(Env("CLOUDSTATE_STORE_PATH", "cloudstate.db")))
      ("passivation-timeout-ms", "idle time before an entity is passivated (env PASSIVATION_TIMEOUT_MS)",
       cxxopts::value<int>()->default_value(Env("PASSIVATION_TIMEOUT_MS", "30000")))
      ("relay-timeout-ms", "how long a command waits for the user function (env RELAY_TIMEOUT_MS)",
       cxxopts::value<int>()->default_value(Env("RELAY_TIMEOUT_MS", "60000")))
      ("grace-ms", "shutdown grace period for calls in flight (env GRACEFUL_TERMINATION_MS)",
       cxxopts::value<int>()->default_value(Env("GRACEFUL_TERMINATION_MS", "10000")))
      ("log-format", "text, or json for one JSON object per line (env LOG_FORMAT)",
       cxxopts::value<std::string>()->default_value(Env("LOG_FORMAT", "text")))
      ("log-level", "debug, info, warning or error (env LOG_LEVEL)",
       cxxopts::value<std::string>()->default_value(Env("LOG_LEVEL", "info")))
      ("h,help", "show this help");

  cxxopts::ParseResult parsed;
  try {
    parsed = options.parse(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n\n" << options.help() << '\n';
    return 2;
  }
  if (parsed.count("help")) {
    std::cout << options.help() << '\n';
    return 0;
  }
  Result<LogLevel> level = ParseLogLevel(parsed["log-level"].as<std::string>());
  if (!level.ok()) {
    std::cerr << "error: " << level.status().message() << '\n';
    return 2;
  }

  proxy::SidecarOptions sidecar;
  sidecar.bind_address = parsed["bind"].as<std::string>();
  sidecar.port = parsed["port"].as<int>();
  sidecar.user_function_host = parsed["user-function-host"].as<std::string>();
  sidecar.user_function_port = parsed["user-function-port"].as<int>();
  sidecar.store.kind = parsed["store"].as<std::string>();
  sidecar.store.path = parsed["store-path"].as<std::string>();
  sidecar.passivation_timeout = std::chrono::milliseconds(parsed["passivation-timeout-ms"].as<int>());
  sidecar.relay_timeout = std::chrono::milliseconds(parsed["relay-timeout-ms"].as<int>());
  sidecar.max_http_body_bytes = parsed["max-http-body-bytes"].as<size_t>();
  Result<LogSink> sink = LogSinkForFormat(parsed["log-format"].as<std::string>(), *level, "sidecar");
  if (!sink.ok()) {
    std::cerr << "error: " << sink.status().message() << '\n';
    return 2;
  }
  sidecar.log = std::move(*sink);

  // Block the stop signals before any thread starts, so only sigwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto started = proxy::Sidecar::Start(sidecar);
  if (!started.ok()) {
    std::cerr << "error: " << started.status().ToString() << '\n';
    return 1;
  }
  int signal = WaitForStopSignal(signals);
  sidecar.log(LogLevel::kInfo, std::string("received ") + (signal == SIGTERM ? "SIGTERM" : "SIGINT") + ", shutting down");
  // Closes the port to new connections, turns /ready to 503, and gives calls in flight the grace.
  (*started)->Shutdown(std::chrono::milliseconds(parsed["grace-ms"].as<int>()));
  return 0;
}

}  // namespace cloudstate::cli
