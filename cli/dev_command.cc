#include "dev_command.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <cxxopts.hpp>
#include <iostream>
#include <memory>

#include "cart_demo.h"
#include "child_process.h"
#include "cloudstate/function_server.h"
#include "proxy/sidecar.h"
#include "shopping_cart_function.h"

namespace cloudstate::cli {
namespace {

std::string Env(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

// A port nothing listens on right now, for a user function told `--user-function-port 0`: the
// process must be given a number to listen on, since the sidecar has to know where to call it.
Result<int> FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return Status::Unavailable(std::string("no socket for a free port: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  if (port < 0) return Status::Unavailable(std::string("no free loopback port: ") + std::strerror(errno));
  return port;
}

LogSink PrefixedSink(const char* prefix, LogLevel min_level) {
  return [prefix, min_level](LogLevel level, const std::string& message) {
    if (level >= min_level) std::fprintf(stderr, "%s %s %s\n", prefix, LogLevelName(level), message.c_str());
  };
}

}  // namespace

int RunDev(int argc, char** argv) {
  // Everything after "--" is the user function's command line.
  std::vector<std::string> function_command;
  int own_argc = argc;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--") {
      own_argc = i;
      for (int j = i + 1; j < argc; ++j) function_command.emplace_back(argv[j]);
      break;
    }
  }

  cxxopts::Options options("cloudstate-cli dev", "Run a user function behind the sidecar, for development.");
  options.custom_help("[options] [-- user function command...]");
  options.add_options()
      ("port", "client-facing port, gRPC and HTTP (env HTTP_PORT; 0 picks a free one)", cxxopts::value<int>()->default_value(Env("HTTP_PORT", "9000")))
      ("user-function-port", "port the user function listens on, passed to it as PORT (env USER_FUNCTION_PORT; 0 picks a free one)",
       cxxopts::value<int>()->default_value(Env("USER_FUNCTION_PORT", "8080")))
      ("store", "store kind: sqlite, leveldb or memory", cxxopts::value<std::string>()->default_value("sqlite"))
      ("store-path", "store file or directory, under the current directory by default",
       cxxopts::value<std::string>()->default_value("cloudstate-dev.db"))
      ("log-level", "debug, info, warning or error", cxxopts::value<std::string>()->default_value("info"))
      ("demo", "call the shopping cart through the sidecar a few times, print the replies, and stop "
               "(free ports unless given)")
      ("h,help", "show this help");
  cxxopts::ParseResult parsed;
  try {
    parsed = options.parse(own_argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n\n" << options.help() << '\n';
    return 2;
  }
  if (parsed.count("help")) {
    std::cout << options.help() << '\n';
    return 0;
  }
  const std::string level_name = parsed["log-level"].as<std::string>();
  LogLevel level = level_name == "debug"     ? LogLevel::kDebug
                   : level_name == "warning" ? LogLevel::kWarning
                   : level_name == "error"   ? LogLevel::kError
                                             : LogLevel::kInfo;

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const bool demo = parsed.count("demo") > 0;
  // A demo must not collide with whatever already runs here: free ports unless asked otherwise.
  int function_port = demo && parsed.count("user-function-port") == 0 ? 0 : parsed["user-function-port"].as<int>();
  int client_port = demo && parsed.count("port") == 0 ? 0 : parsed["port"].as<int>();
  std::unique_ptr<ChildProcess> child;
  std::unique_ptr<FunctionServer> bundled;
  if (!function_command.empty()) {
    if (function_port == 0) {
      Result<int> free = FreeLoopbackPort();
      if (!free.ok()) {
        std::cerr << "error: " << free.status().ToString() << '\n';
        return 1;
      }
      function_port = *free;
    }
    auto started = ChildProcess::Start(function_command,
                                       {{"PORT", std::to_string(function_port)}, {"HOST", "127.0.0.1"}}, "[function] ");
    if (!started.ok()) {
      std::cerr << "error: " << started.status().ToString() << '\n';
      return 1;
    }
    child = std::move(*started);
  } else {
    FunctionServerOptions function_options;
    function_options.port = function_port;
    function_options.log = PrefixedSink("[function]", level);
    bundled = std::make_unique<FunctionServer>(function_options);
    Status status = shopping_cart::AddShoppingCart(*bundled);
    if (status.ok()) status = bundled->Start();
    if (!status.ok()) {
      std::cerr << "error: the bundled shopping cart cannot start: " << status.ToString() << '\n';
      return 1;
    }
    function_port = bundled->port();
    std::fprintf(stderr, "[function] info serving the bundled shopping cart on port %d\n", function_port);
  }

  proxy::SidecarOptions sidecar_options;
  sidecar_options.port = client_port;
  sidecar_options.user_function_port = function_port;
  sidecar_options.store.kind = parsed["store"].as<std::string>();
  sidecar_options.store.path = parsed["store-path"].as<std::string>();
  sidecar_options.backoff_min = std::chrono::milliseconds(100);  // the function is starting right now
  sidecar_options.backoff_max = std::chrono::milliseconds(2000);
  sidecar_options.log = PrefixedSink("[sidecar]", level);
  auto sidecar = proxy::Sidecar::Start(sidecar_options);
  if (!sidecar.ok()) {
    std::cerr << "error: " << sidecar.status().ToString() << '\n';
    return 1;
  }

  int exit_code = 0;
  if (demo) {
    Status status = (*sidecar)->WaitUntilReady(std::chrono::seconds(30));
    if (status.ok()) status = RunCartDemo("127.0.0.1:" + std::to_string((*sidecar)->port()), "demo-user");
    if (!status.ok()) {
      std::fprintf(stderr, "[demo] error: %s\n", status.ToString().c_str());
      exit_code = 1;
    }
  }
  // Until Ctrl-C or SIGTERM, or until the user function exits by itself.
  timespec tick{0, 200 * 1000 * 1000};
  while (!demo) {
    int signal = sigtimedwait(&signals, nullptr, &tick);
    if (signal == SIGINT || signal == SIGTERM) {
      std::fprintf(stderr, "[dev] stopping\n");
      break;
    }
    int code;
    if (child && child->Exited(&code)) {
      std::fprintf(stderr, "[dev] the user function exited with code %d; stopping\n", code);
      exit_code = code == 0 ? 1 : code;
      break;
    }
  }
  (*sidecar)->Shutdown(std::chrono::seconds(5));
  if (child) child->Stop(std::chrono::seconds(5));
  if (bundled) bundled->Shutdown(std::chrono::seconds(1));
  return exit_code;
}

}  // namespace cloudstate::cli
