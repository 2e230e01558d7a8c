#include "shopping_cart_function.h"

#include "shopping_cart_entity.h"
#include "shoppingcart.pb.h"

namespace shopping_cart {

cloudstate::Status AddShoppingCart(cloudstate::FunctionServer& server) {
  cloudstate::EventSourcedOptions cart;
  cart.persistence_id = kPersistenceId;
  cart.snapshot_every = kSnapshotEvery;
  // protoc's C++ output has no class for a service; its descriptor hangs off the file.
  const auto* service = com::example::shoppingcart::Cart::descriptor()->file()->FindServiceByName("ShoppingCart");
  return server.AddEventSourced(service, NewShoppingCart, cart);
}

}  // namespace shopping_cart
