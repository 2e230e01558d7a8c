// `cloudstate-cli dev`: local development in one command. Runs the sidecar on an embedded store in
// the current directory (a restart in the same directory finds its state) and the user function
// given after `--` (told its port in PORT), prints both logs with prefixes, and stops both on
// Ctrl-C. With no user function it serves the bundled C++ shopping cart.
#pragma once

namespace cloudstate::cli {

int RunDev(int argc, char** argv);

}  // namespace cloudstate::cli
