// The shopping cart as a value entity: the cart is one stored value, rewritten (sorted by product
// id) on every change and deleted by RemoveCart. Runs embedded or as a user function.
#pragma once

#include <memory>
#include <string>

#include "cloudstate/value_entity.h"

namespace value_shopping_cart {

inline constexpr char kEntityType[] = "com.example.valueentity.shoppingcart.ShoppingCart";
inline constexpr char kPersistenceId[] = "shopping-cart";

class ValueShoppingCartEntity final : public cloudstate::ValueEntity {
 public:
  void HandleCommand(const google::protobuf::Any& command, cloudstate::ValueCommandContext& context) override;
};

std::unique_ptr<cloudstate::ValueEntity> NewValueShoppingCart(const std::string& entity_id);

}  // namespace value_shopping_cart
