// `cloudstate-cli serve`: the sidecar, configured by flags or by the original sidecar's environment
// variables (HTTP_PORT, USER_FUNCTION_HOST, USER_FUNCTION_PORT), running until SIGTERM or SIGINT.
#pragma once

namespace cloudstate::cli {

int RunServe(int argc, char** argv);

}  // namespace cloudstate::cli
