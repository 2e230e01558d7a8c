// Chat presence as a Cloudstate user function, for `cloudstate-cli dev` or any sidecar.
//
//   chat-presence-function [--host 127.0.0.1] [--port 8080]     (or HOST / PORT in the environment)
#include <iostream>

#include "cloudstate/function_server.h"
#include "presence_function.h"
#include "serve.h"

int main(int argc, char** argv) {
  examples::BlockStopSignals();
  const std::string program = "chat-presence-function";
  auto options = examples::ParseServeOptions(argc, argv, program);
  if (!options) return 2;

  cloudstate::FunctionServer server(*options);
  cloudstate::Status added = chat_presence::AddPresence(server);
  if (!added.ok()) {
    std::cerr << program << ": " << added.ToString() << '\n';
    return 1;
  }
  return examples::ServeUntilSignalled(server, *options, program);
}
