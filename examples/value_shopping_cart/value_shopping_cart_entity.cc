#include "value_shopping_cart_entity.h"

#include <google/protobuf/empty.pb.h>

#include <algorithm>

#include "cloudstate/command.h"
#include "value_domain.pb.h"
#include "value_shoppingcart.pb.h"

namespace value_shopping_cart {
namespace {

namespace api = com::example::valueentity::shoppingcart;
namespace domain = com::example::valueentity::shoppingcart::persistence;
using cloudstate::Unpack;
using cloudstate::ValueCommandContext;

domain::Cart Current(const ValueCommandContext& context) {
  domain::Cart cart;
  if (const google::protobuf::Any* state = context.State()) state->UnpackTo(&cart);
  return cart;
}

void SortAndStore(domain::Cart cart, ValueCommandContext& context) {
  auto* items = cart.mutable_items();
  std::stable_sort(items->begin(), items->end(),
                   [](const domain::LineItem& a, const domain::LineItem& b) { return a.productid() < b.productid(); });
  context.UpdateState(cart);
}

void AddItem(const google::protobuf::Any& command, ValueCommandContext& context) {
  auto add = Unpack<api::AddLineItem>(command);
  if (!add.ok()) return context.Fail(add.status().message());
  if (add->quantity() <= 0) return context.Fail("Cannot add negative quantity of to item " + add->product_id());
  domain::Cart cart = Current(context);
  auto* items = cart.mutable_items();
  auto existing = std::find_if(items->begin(), items->end(),
                               [&](const domain::LineItem& item) { return item.productid() == add->product_id(); });
  if (existing != items->end()) {
    existing->set_quantity(existing->quantity() + add->quantity());
  } else {
    domain::LineItem* item = cart.add_items();
    item->set_productid(add->product_id());
    item->set_name(add->name());
    item->set_quantity(add->quantity());
  }
  SortAndStore(std::move(cart), context);
  context.Reply(google::protobuf::Empty());
}

void RemoveItem(const google::protobuf::Any& command, ValueCommandContext& context) {
  auto remove = Unpack<api::RemoveLineItem>(command);
  if (!remove.ok()) return context.Fail(remove.status().message());
  domain::Cart cart = Current(context);
  auto* items = cart.mutable_items();
  auto found = std::find_if(items->begin(), items->end(),
                            [&](const domain::LineItem& item) { return item.productid() == remove->product_id(); });
  if (found == items->end()) {
    return context.Fail("Cannot remove item " + remove->product_id() + " because it is not in the cart.");
  }
  items->erase(found);
  SortAndStore(std::move(cart), context);  // an update even when the cart is now empty, as the sample
  context.Reply(google::protobuf::Empty());
}

void GetCart(ValueCommandContext& context) {
  domain::Cart stored = Current(context);
  std::stable_sort(stored.mutable_items()->begin(), stored.mutable_items()->end(),
                   [](const domain::LineItem& a, const domain::LineItem& b) { return a.productid() < b.productid(); });
  api::Cart cart;
  for (const domain::LineItem& item : stored.items()) {
    api::LineItem* line = cart.add_items();
    line->set_product_id(item.productid());
    line->set_name(item.name());
    line->set_quantity(item.quantity());
  }
  context.Reply(cart);
}

}  // namespace

void ValueShoppingCartEntity::HandleCommand(const google::protobuf::Any& command, ValueCommandContext& context) {
  const std::string& name = context.CommandName();
  if (name == "AddItem") return AddItem(command, context);
  if (name == "RemoveItem") return RemoveItem(command, context);
  if (name == "GetCart") return GetCart(context);
  if (name == "RemoveCart") {
    context.DeleteState();
    return context.Reply(google::protobuf::Empty());
  }
  context.Fail("Unknown command " + name);
}

std::unique_ptr<cloudstate::ValueEntity> NewValueShoppingCart(const std::string&) {
  return std::make_unique<ValueShoppingCartEntity>();
}

}  // namespace value_shopping_cart
