// The shopping cart as an event-sourced entity: items are added and removed through events, and
// the cart is snapshotted as a whole. The same class runs embedded or as a user function.
#pragma once

#include <memory>
#include <string>

#include "cloudstate/event_sourced.h"
#include "domain.pb.h"

namespace shopping_cart {

// Entity type name and persistence id, as in the original sample.
inline constexpr char kEntityType[] = "com.example.shoppingcart.ShoppingCart";
inline constexpr char kPersistenceId[] = "shopping-cart";
inline constexpr int kSnapshotEvery = 5;

class ShoppingCartEntity final : public cloudstate::EventSourcedEntity {
 public:
  cloudstate::Status HandleSnapshot(const google::protobuf::Any& snapshot, int64_t sequence) override;
  cloudstate::Status HandleEvent(const google::protobuf::Any& event, int64_t sequence) override;
  void HandleCommand(const google::protobuf::Any& command, cloudstate::EventSourcedCommandContext& context) override;
  std::optional<google::protobuf::Any> Snapshot() override;

 private:
  void AddItem(const google::protobuf::Any& command, cloudstate::EventSourcedCommandContext& context);
  void RemoveItem(const google::protobuf::Any& command, cloudstate::EventSourcedCommandContext& context);
  void GetCart(cloudstate::EventSourcedCommandContext& context);

  com::example::shoppingcart::persistence::Cart cart_;
};

std::unique_ptr<cloudstate::EventSourcedEntity> NewShoppingCart(const std::string& entity_id);

}  // namespace shopping_cart
