// Handler side: the two shopping cart examples served exactly as their function_main.cc does.
#include <doctest/doctest.h>

#include "cloudstate/function_server.h"
#include "shopping_cart_entity.h"
#include "shoppingcart.pb.h"
#include "test_function.h"
#include "test_server.h"
#include "value_shopping_cart_entity.h"
#include "value_shoppingcart.pb.h"

namespace fntest_support {

std::unique_ptr<TestFunction> StartShoppingCartFunction() {
  auto function = std::make_unique<TestServer>();
  cloudstate::EventSourcedOptions cart;
  cart.persistence_id = shopping_cart::kPersistenceId;
  cart.snapshot_every = shopping_cart::kSnapshotEvery;
  const auto* service = com::example::shoppingcart::Cart::descriptor()->file()->FindServiceByName("ShoppingCart");
  REQUIRE(function->server().AddEventSourced(service, shopping_cart::NewShoppingCart, cart).ok());
  REQUIRE(function->Start());
  return function;
}

std::unique_ptr<TestFunction> StartValueShoppingCartFunction() {
  auto function = std::make_unique<TestServer>();
  cloudstate::ValueEntityOptions cart;
  cart.persistence_id = value_shopping_cart::kPersistenceId;
  const auto* service =
      com::example::valueentity::shoppingcart::Cart::descriptor()->file()->FindServiceByName("ShoppingCart");
  REQUIRE(function->server().AddValueEntity(service, value_shopping_cart::NewValueShoppingCart, cart).ok());
  REQUIRE(function->Start());
  return function;
}

}  // namespace fntest_support
