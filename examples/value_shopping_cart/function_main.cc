// The value-entity shopping cart as a Cloudstate user function.
//
//   value-shopping-cart-function [--host 127.0.0.1] [--port 8080]     (or HOST / PORT)
#include <iostream>

#include "cloudstate/function_server.h"
#include "serve.h"
#include "value_shopping_cart_entity.h"
#include "value_shoppingcart.pb.h"

int main(int argc, char** argv) {
  examples::BlockStopSignals();
  const std::string program = "value-shopping-cart-function";
  auto options = examples::ParseServeOptions(argc, argv, program);
  if (!options) return 2;

  cloudstate::FunctionServer server(*options);
  cloudstate::ValueEntityOptions cart;
  cart.persistence_id = value_shopping_cart::kPersistenceId;
  const auto* service =
      com::example::valueentity::shoppingcart::Cart::descriptor()->file()->FindServiceByName("ShoppingCart");
  cloudstate::Status added = server.AddValueEntity(service, value_shopping_cart::NewValueShoppingCart, cart);
  if (!added.ok()) {
    std::cerr << program << ": " << added.ToString() << '\n';
    return 1;
  }
  return examples::ServeUntilSignalled(server, *options, program);
}
