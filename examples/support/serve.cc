#include "serve.h"

#include <csignal>
#include <cstdlib>
#include <cxxopts.hpp>
#include <iostream>

namespace examples {
namespace {

sigset_t StopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

}  // namespace

void BlockStopSignals() {
  sigset_t signals = StopSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

std::optional<cloudstate::FunctionServerOptions> ParseServeOptions(int argc, char** argv, const std::string& program) {
  cxxopts::Options parser(program, "Serves its entities as a Cloudstate user function (protocol 0.2).");
  parser.add_options()
      ("host", "address to listen on (env HOST)", cxxopts::value<std::string>()->default_value(EnvOr("HOST", "127.0.0.1")))
      ("port", "port to listen on, 0 for any free one (env PORT)",
       cxxopts::value<int>()->default_value(EnvOr("PORT", "8080")))
      ("h,help", "show this help");
  try {
    auto parsed = parser.parse(argc, argv);
    if (parsed.count("help") != 0) {
      std::cout << parser.help() << '\n';
      return std::nullopt;
    }
    if (!parsed.unmatched().empty()) throw std::invalid_argument("unexpected argument " + parsed.unmatched().front());
    cloudstate::FunctionServerOptions options;
    options.address = parsed["host"].as<std::string>();
    options.port = parsed["port"].as<int>();
    options.service_name = program;
    options.log = cloudstate::StderrLogSink(cloudstate::LogLevel::kInfo);
    return options;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n\n" << parser.help() << '\n';
    return std::nullopt;
  }
}

int ServeUntilSignalled(cloudstate::FunctionServer& server, const cloudstate::FunctionServerOptions& options,
                        const std::string& program) {
  if (cloudstate::Status status = server.Start(); !status.ok()) {
    std::cerr << program << ": " << status.ToString() << '\n';
    return 1;
  }
  std::cout << program << " listening on " << options.address << ":" << server.port() << std::endl;
  sigset_t signals = StopSignals();
  int signal = 0;
  sigwait(&signals, &signal);
  std::cout << program << " stopping" << std::endl;
  server.Shutdown();
  server.Wait();
  return 0;
}

}  // namespace examples
