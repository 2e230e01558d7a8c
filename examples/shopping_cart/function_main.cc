// The shopping cart as a Cloudstate user function: the same ShoppingCartEntity the embedded
// program runs in-process, served over the Cloudstate protocol to a sidecar (ours or any other).
//
//   shopping-cart-function [--host 127.0.0.1] [--port 8080]     (or HOST / PORT in the environment)
#include <iostream>

#include "cloudstate/function_server.h"
#include "serve.h"
#include "shopping_cart_function.h"

int main(int argc, char** argv) {
  examples::BlockStopSignals();
  const std::string program = "shopping-cart-function";
  auto options = examples::ParseServeOptions(argc, argv, program);
  if (!options) return 2;

  cloudstate::FunctionServer server(*options);
  cloudstate::Status added = shopping_cart::AddShoppingCart(server);
  if (!added.ok()) {
    std::cerr << program << ": " << added.ToString() << '\n';
    return 1;
  }
  return examples::ServeUntilSignalled(server, *options, program);
}
