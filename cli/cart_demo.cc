#include "cart_demo.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>

#include "shoppingcart.grpc.pb.h"

namespace cloudstate::cli {
namespace {

using com::example::shoppingcart::AddLineItem;
using com::example::shoppingcart::Cart;
using com::example::shoppingcart::GetShoppingCart;
using com::example::shoppingcart::RemoveLineItem;
using com::example::shoppingcart::ShoppingCart;

Status FromGrpc(const grpc::Status& status, const std::string& call) {
  if (status.ok()) return Status::Ok();
  return Status::Unavailable(call + " failed: " + status.error_message() + " (gRPC code " +
                             std::to_string(status.error_code()) + ")");
}

void Deadline(grpc::ClientContext& context) {
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
}

std::string Describe(const Cart& cart) {
  if (cart.items_size() == 0) return "empty";
  std::string text;
  for (const auto& item : cart.items()) {
    if (!text.empty()) text += ", ";
    text += std::to_string(item.quantity()) + " x " + item.name() + " (" + item.product_id() + ")";
  }
  return text;
}

Result<Cart> GetCart(ShoppingCart::Stub& cart, const std::string& user) {
  grpc::ClientContext context;
  Deadline(context);
  GetShoppingCart request;
  request.set_user_id(user);
  Cart reply;
  if (Status status = FromGrpc(cart.GetCart(&context, request, &reply), "GetCart"); !status.ok()) return status;
  return reply;
}

Status AddItem(ShoppingCart::Stub& cart, const std::string& user, const std::string& product,
               const std::string& name, int quantity) {
  grpc::ClientContext context;
  Deadline(context);
  AddLineItem request;
  request.set_user_id(user);
  request.set_product_id(product);
  request.set_name(name);
  request.set_quantity(quantity);
  google::protobuf::Empty reply;
  std::printf("[demo] AddItem %d x %s to %s's cart\n", quantity, name.c_str(), user.c_str());
  return FromGrpc(cart.AddItem(&context, request, &reply), "AddItem");
}

}  // namespace

Status RunCartDemo(const std::string& sidecar_address, const std::string& user) {
  auto channel = grpc::CreateChannel(sidecar_address, grpc::InsecureChannelCredentials());
  auto cart = ShoppingCart::NewStub(channel);
  std::printf("[demo] calling com.example.shoppingcart.ShoppingCart at %s\n", sidecar_address.c_str());

  Result<Cart> before = GetCart(*cart, user);
  if (!before.ok()) return before.status();
  std::printf("[demo] GetCart: %s\n", Describe(*before).c_str());

  if (Status status = AddItem(*cart, user, "coffee", "Coffee beans", 1); !status.ok()) return status;
  if (Status status = AddItem(*cart, user, "filter", "Paper filters", 2); !status.ok()) return status;

  grpc::ClientContext context;
  Deadline(context);
  RemoveLineItem remove;
  remove.set_user_id(user);
  remove.set_product_id("filter");
  google::protobuf::Empty empty;
  std::printf("[demo] RemoveItem filter from %s's cart\n", user.c_str());
  if (Status status = FromGrpc(cart->RemoveItem(&context, remove, &empty), "RemoveItem"); !status.ok()) {
    return status;
  }

  Result<Cart> after = GetCart(*cart, user);
  if (!after.ok()) return after.status();
  std::printf("[demo] GetCart: %s\n", Describe(*after).c_str());
  std::fflush(stdout);
  return Status::Ok();
}

}  // namespace cloudstate::cli
