// cloudstate-cli: the command line of the engine. `serve` runs the sidecar; `dev` runs it with a
// user function for local development.
#include <cstring>
#include <iostream>

#include "dev_command.h"
#include "serve_command.h"
#include "tck_command.h"

namespace {

void Usage() {
  std::cerr << "usage: cloudstate-cli <command> [options]\n"
               "commands:\n"
               "  dev     run a user function behind the sidecar, for local development\n"
               "  serve   serve a user function's services with managed state (the sidecar)\n"
               "  tck     check a proxy and a user function with the conformance kit\n"
               "run 'cloudstate-cli <command> --help' for a command's options\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    Usage();
    return argc < 2 ? 2 : 0;
  }
  if (std::strcmp(argv[1], "serve") == 0) return cloudstate::cli::RunServe(argc - 1, argv + 1);
  if (std::strcmp(argv[1], "dev") == 0) return cloudstate::cli::RunDev(argc - 1, argv + 1);
  if (std::strcmp(argv[1], "tck") == 0) return cloudstate::cli::RunTck(argc - 1, argv + 1);
  std::cerr << "unknown command '" << argv[1] << "'\n";
  Usage();
  return 2;
}
