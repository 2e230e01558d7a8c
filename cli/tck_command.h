// `cloudstate-cli tck`: runs the conformance kit. By default against our sidecar and the kit's
// model user function, both started in this process; with --proxy and --user-function against
// any proxy and any user function serving the model services.
#pragma once

namespace cloudstate::cli {

int RunTck(int argc, char** argv);

}  // namespace cloudstate::cli
