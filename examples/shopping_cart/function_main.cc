// The shopping cart as a Cloudstate user function: the same ShoppingCartEntity the embedded
// program runs in-process, served over the Cloudstate protocol to a sidecar (ours or any other).
//
//   shopping-cart-function [--host 127.0.0.1] [--port 8080]     (or HOST / PORT in the environment)
#include <iostream>

#include "cloudstate/function_server.h"
#include "serve.h"
#include "shopping_cart_entity.h"
#include "shoppingcart.pb.h"

int main(int argc, char** argv) {
  examples::BlockStopSignals();
  const std::string program = "shopping-cart-function";
  auto options = examples::ParseServeOptions(argc, argv, program);
  if (!options) return 2;

  cloudstate::FunctionServer server(*options);
  cloudstate::EventSourcedOptions cart;
  cart.persistence_id = shopping_cart::kPersistenceId;
  cart.snapshot_every = shopping_cart::kSnapshotEvery;
  // protoc's C++ output has no class for a service; its descriptor hangs off the file.
  const auto* service = com::example::shoppingcart::Cart::descriptor()->file()->FindServiceByName("ShoppingCart");
  cloudstate::Status added = server.AddEventSourced(service, shopping_cart::NewShoppingCart, cart);
  if (!added.ok()) {
    std::cerr << program << ": " << added.ToString() << '\n';
    return 1;
  }
  return examples::ServeUntilSignalled(server, *options, program);
}
