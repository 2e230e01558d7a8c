// The conformance kit's model user function as a program, to check any proxy with the kit:
//
//   tck-model-function [--host 127.0.0.1] [--port 8080]     (or HOST / PORT in the environment)
//
// Serves until SIGINT or SIGTERM.
#include <csignal>
#include <cstdlib>
#include <cxxopts.hpp>
#include <iostream>

#include "cloudstate/function_server.h"
#include "model_function.h"

namespace {

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  // Blocked before any thread starts, so that every thread inherits the mask and sigwait gets them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const std::string program = "tck-model-function";
  cxxopts::Options parser(program, "The conformance kit's model services as a Cloudstate user function.");
  parser.add_options()
      ("host", "address to listen on (env HOST)", cxxopts::value<std::string>()->default_value(EnvOr("HOST", "127.0.0.1")))
      ("port", "port to listen on, 0 for any free one (env PORT)", cxxopts::value<int>()->default_value(EnvOr("PORT", "8080")))
      ("h,help", "show this help");
  cloudstate::FunctionServerOptions options;
  try {
    auto parsed = parser.parse(argc, argv);
    if (parsed.count("help") != 0) {
      std::cout << parser.help() << '\n';
      return 0;
    }
    options.address = parsed["host"].as<std::string>();
    options.port = parsed["port"].as<int>();
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n\n" << parser.help() << '\n';
    return 2;
  }
  options.service_name = program;
  options.log = cloudstate::StderrLogSink(cloudstate::LogLevel::kInfo);

  cloudstate::FunctionServer server(options);
  cloudstate::Status status = cloudstate::tck::AddModelServices(server);
  if (status.ok()) status = server.Start();
  if (!status.ok()) {
    std::cerr << program << ": " << status.ToString() << '\n';
    return 1;
  }
  std::cout << program << " listening on " << options.address << ":" << server.port() << std::endl;
  int signal = 0;
  sigwait(&signals, &signal);
  server.Shutdown();
  server.Wait();
  return 0;
}
