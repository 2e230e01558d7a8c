// Registers the shopping cart with a function server, as the original sample does: service
// com.example.shoppingcart.ShoppingCart, persistence id "shopping-cart", a snapshot every 5 events.
#pragma once

#include "cloudstate/function_server.h"

namespace shopping_cart {

cloudstate::Status AddShoppingCart(cloudstate::FunctionServer& server);

}  // namespace shopping_cart
