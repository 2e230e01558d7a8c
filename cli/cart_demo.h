// The walk-through `cloudstate-cli dev --demo` runs: a few calls to the bundled shopping cart through
// the sidecar's client port, as any gRPC client would make them, printed as they go.
#pragma once

#include <string>

#include "cloudstate/status.h"

namespace cloudstate::cli {

// Adds an item to `user`'s cart, removes another, and prints the cart before and after. The cart
// lives in the sidecar's store, so a second run in the same directory starts from the first's end.
Status RunCartDemo(const std::string& sidecar_address, const std::string& user);

}  // namespace cloudstate::cli
