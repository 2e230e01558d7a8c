#include "shopping_cart_entity.h"

#include <google/protobuf/empty.pb.h>

#include "cloudstate/command.h"
#include "shoppingcart.pb.h"

namespace shopping_cart {

namespace api = com::example::shoppingcart;
namespace domain = com::example::shoppingcart::persistence;
using cloudstate::Status;
using cloudstate::Unpack;

Status ShoppingCartEntity::HandleSnapshot(const google::protobuf::Any& snapshot, int64_t) {
  if (!snapshot.UnpackTo(&cart_)) return Status::InvalidArgument("not a cart snapshot: " + snapshot.type_url());
  return Status::Ok();
}

Status ShoppingCartEntity::HandleEvent(const google::protobuf::Any& event, int64_t) {
  if (domain::ItemAdded added; event.UnpackTo(&added)) {
    for (auto& item : *cart_.mutable_items()) {
      if (item.productid() == added.item().productid()) {
        item.set_quantity(item.quantity() + added.item().quantity());
        return Status::Ok();
      }
    }
    *cart_.add_items() = added.item();
    return Status::Ok();
  }
  if (domain::ItemRemoved removed; event.UnpackTo(&removed)) {
    auto* items = cart_.mutable_items();
    for (int i = 0; i < items->size(); ++i) {
      if (items->Get(i).productid() == removed.productid()) {
        items->DeleteSubrange(i, 1);
        break;
      }
    }
    return Status::Ok();
  }
  return Status::InvalidArgument("unknown shopping cart event " + event.type_url());
}

void ShoppingCartEntity::HandleCommand(const google::protobuf::Any& command,
                                       cloudstate::EventSourcedCommandContext& context) {
  const std::string& name = context.CommandName();
  if (name == "AddItem") return AddItem(command, context);
  if (name == "RemoveItem") return RemoveItem(command, context);
  if (name == "GetCart") return GetCart(context);
  context.Fail("Unknown command " + name);
}

void ShoppingCartEntity::AddItem(const google::protobuf::Any& command, cloudstate::EventSourcedCommandContext& context) {
  auto add = Unpack<api::AddLineItem>(command);
  if (!add.ok()) return context.Fail(add.status().message());
  if (add->quantity() < 1) return context.Fail("Cannot add negative quantity to item " + add->product_id());
  domain::ItemAdded added;
  added.mutable_item()->set_productid(add->product_id());
  added.mutable_item()->set_name(add->name());
  added.mutable_item()->set_quantity(add->quantity());
  context.Emit(added);
  context.Reply(google::protobuf::Empty());
}

void ShoppingCartEntity::RemoveItem(const google::protobuf::Any& command,
                                    cloudstate::EventSourcedCommandContext& context) {
  auto remove = Unpack<api::RemoveLineItem>(command);
  if (!remove.ok()) return context.Fail(remove.status().message());
  bool present = false;
  for (const auto& item : cart_.items()) present = present || item.productid() == remove->product_id();
  if (!present) return context.Fail("Item " + remove->product_id() + " not in cart");
  domain::ItemRemoved removed;
  removed.set_productid(remove->product_id());
  context.Emit(removed);
  context.Reply(google::protobuf::Empty());
}

void ShoppingCartEntity::GetCart(cloudstate::EventSourcedCommandContext& context) {
  // The domain and API carts share field numbers, so the bytes carry over unchanged.
  api::Cart cart;
  cart.ParseFromString(cart_.SerializeAsString());
  context.Reply(cart);
}

std::optional<google::protobuf::Any> ShoppingCartEntity::Snapshot() {
  google::protobuf::Any snapshot;
  snapshot.PackFrom(cart_);
  return snapshot;
}

std::unique_ptr<cloudstate::EventSourcedEntity> NewShoppingCart(const std::string&) {
  return std::make_unique<ShoppingCartEntity>();
}

}  // namespace shopping_cart
