#include "tck_command.h"

#include <cstdlib>
#include <cxxopts.hpp>
#include <iostream>

#include "driver/kit.h"
#include "driver/local_setup.h"
#include "interceptor/interceptor.h"

namespace cloudstate::cli {
namespace {

std::string Env(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

bool SplitAddress(const std::string& address, std::string& host, int& port) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = address.substr(0, colon);
  port = std::atoi(address.c_str() + colon + 1);
  return port > 0;
}

}  // namespace

int RunTck(int argc, char** argv) {
  cxxopts::Options options("cloudstate-cli tck",
                           "Check a proxy and a user function with the conformance kit. Without --proxy, runs our "
                           "sidecar (memory store) and the kit's model user function in this process.");
  options.add_options()
      ("proxy", "client-facing address HOST:PORT of a proxy under test; it must use the interceptor as its user function",
       cxxopts::value<std::string>())
      ("user-function", "address HOST:PORT of a user function serving the model services (with --proxy)",
       cxxopts::value<std::string>())
      ("interceptor-port", "port the interceptor listens on, with --proxy (env TCK_PORT)",
       cxxopts::value<int>()->default_value(Env("TCK_PORT", "8090")))
      ("interceptor-host", "address the interceptor listens on, with --proxy (env TCK_HOST)",
       cxxopts::value<std::string>()->default_value(Env("TCK_HOST", "127.0.0.1")))
      ("http-json", "run the cases that call the proxy over HTTP/JSON (=false: skip them)",
       cxxopts::value<bool>()->default_value("true")->implicit_value("true"))
      ("server-reflection", "run the server reflection case (=false: skip it)",
       cxxopts::value<bool>()->default_value("true")->implicit_value("true"))
      ("crdt", "run the cases that need the proxy to host CRDT entities (=false: skip them)",
       cxxopts::value<bool>()->default_value("true")->implicit_value("true"))
      ("eventing", "run the event-log eventing cases, which need the proxy to consume entities' event logs "
       "(=false: skip them)",
       cxxopts::value<bool>()->default_value("true")->implicit_value("true"))
      ("timeout-ms", "how long an expected message or call may take", cxxopts::value<int>()->default_value("3000"))
      ("startup-timeout-ms", "how long to wait for the user function, the discovery and the proxy",
       cxxopts::value<int>()->default_value("60000"))
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
  if (parsed.count("proxy") != parsed.count("user-function")) {
    std::cerr << "error: --proxy and --user-function go together\n";
    return 2;
  }

  tck::TckSettings settings;
  std::unique_ptr<tck::LocalSetup> local;
  std::unique_ptr<tck::Interceptor> interceptor;
  tck::Recorder* recorder = nullptr;
  if (parsed.count("proxy") == 0) {
    auto started = tck::LocalSetup::Start({});
    if (!started.ok()) {
      std::cerr << "error: " << started.status().ToString() << '\n';
      return 1;
    }
    local = std::move(*started);
    settings = local->settings();
    recorder = &local->recorder();
  } else {
    if (!SplitAddress(parsed["proxy"].as<std::string>(), settings.proxy_host, settings.proxy_port)) {
      std::cerr << "error: --proxy must be HOST:PORT\n";
      return 2;
    }
    settings.user_function = parsed["user-function"].as<std::string>();
    tck::InterceptorOptions interceptor_options;
    interceptor_options.address = parsed["interceptor-host"].as<std::string>();
    interceptor_options.port = parsed["interceptor-port"].as<int>();
    interceptor_options.user_function = settings.user_function;
    auto started = tck::Interceptor::Start(interceptor_options);
    if (!started.ok()) {
      std::cerr << "error: " << started.status().ToString() << '\n';
      return 1;
    }
    interceptor = std::move(*started);
    recorder = &interceptor->recorder();
    std::cout << "tck: interceptor on " << interceptor_options.address << ":" << interceptor->port()
              << " (the proxy's user function), relaying to " << settings.user_function << std::endl;
  }
  settings.features.http_json = parsed["http-json"].as<bool>();
  settings.features.server_reflection = parsed["server-reflection"].as<bool>();
  settings.features.crdt = parsed["crdt"].as<bool>();
  settings.features.eventing = parsed["eventing"].as<bool>();
  settings.timeout = std::chrono::milliseconds(parsed["timeout-ms"].as<int>());

  tck::KitReport report =
      tck::RunKit(settings, *recorder, std::chrono::milliseconds(parsed["startup-timeout-ms"].as<int>()), std::cout);
  return report.startup.ok() && report.failed == 0 ? 0 : 1;
}

}  // namespace cloudstate::cli
