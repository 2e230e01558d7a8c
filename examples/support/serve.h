// What every example user function shares: where to listen (--host/--port, or the HOST/PORT
// environment variables the Cloudstate support libraries read; default 127.0.0.1:8080), and
// serving until SIGINT or SIGTERM.
#pragma once

#include <optional>
#include <string>

#include "cloudstate/function_server.h"

namespace examples {

// Blocks SIGINT and SIGTERM in the calling thread and every thread it starts later, so that
// ServeUntilSignalled can wait for them. Call first thing in main.
void BlockStopSignals();

// Fills options.address/port from the command line and environment; nullopt (after printing
// usage) when the arguments are wrong.
std::optional<cloudstate::FunctionServerOptions> ParseServeOptions(int argc, char** argv, const std::string& program);

// Starts `server`, prints "<program> listening on <host>:<port>", waits for SIGINT or SIGTERM and
// shuts down. Returns the process exit code.
int ServeUntilSignalled(cloudstate::FunctionServer& server, const cloudstate::FunctionServerOptions& options,
                        const std::string& program);

}  // namespace examples
