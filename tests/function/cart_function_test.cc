// The shopping cart examples as user functions, tested at the protocol level like the Node sample's
// own test (samples.md §1.4) and the value cart's behaviour (§2.2).
#include <doctest/doctest.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/empty.pb.h>

#include <set>

#include "cloudstate/entity_key.pb.h"
#include "domain.pb.h"
#include "google/api/annotations.pb.h"
#include "protocol_client.h"
#include "shoppingcart.pb.h"
#include "test_function.h"
#include "value_domain.pb.h"
#include "value_shoppingcart.pb.h"

namespace fntest_support {
namespace {

namespace api = com::example::shoppingcart;
namespace domain = com::example::shoppingcart::persistence;
namespace vapi = com::example::valueentity::shoppingcart;
namespace vdomain = com::example::valueentity::shoppingcart::persistence;

const char kCart[] = "com.example.shoppingcart.ShoppingCart";
const char kValueCart[] = "com.example.valueentity.shoppingcart.ShoppingCart";

template <typename Message>
Message Unpacked(const google::protobuf::Any& any) {
  Message message;
  CHECK(any.type_url() == "type.googleapis.com/" + Message::descriptor()->full_name());
  REQUIRE(any.UnpackTo(&message));
  return message;
}

api::GetShoppingCart GetCart(const std::string& user) {
  api::GetShoppingCart get;
  get.set_user_id(user);
  return get;
}

api::AddLineItem AddItem(const std::string& user, const std::string& product, const std::string& name, int quantity) {
  api::AddLineItem add;
  add.set_user_id(user);
  add.set_product_id(product);
  add.set_name(name);
  add.set_quantity(quantity);
  return add;
}

es::EventSourcedReply ReplyOf(const std::optional<es::EventSourcedStreamOut>& out) {
  REQUIRE(out.has_value());
  REQUIRE_MESSAGE(out->has_reply(), out->DebugString());
  return out->reply();
}

TEST_CASE("cart: discovery reports exactly the cart, with its imports, keys and HTTP rules") {
  auto function = StartShoppingCartFunction();
  ::cloudstate::EntitySpec spec = Discover(Connect(function->port()));
  REQUIRE(spec.entities_size() == 1);
  CHECK(spec.entities(0).entity_type() == "cloudstate.eventsourced.EventSourced");
  CHECK(spec.entities(0).service_name() == kCart);
  CHECK(spec.entities(0).persistence_id() == "shopping-cart");

  google::protobuf::FileDescriptorSet set;
  REQUIRE(set.ParseFromString(spec.proto()));
  std::set<std::string> files;
  for (const auto& file : set.file()) files.insert(file.name());
  for (const char* name : {"shoppingcart.proto", "cloudstate/entity_key.proto", "cloudstate/eventing.proto",
                           "google/api/annotations.proto", "google/api/http.proto", "google/api/httpbody.proto",
                           "google/protobuf/empty.proto", "google/protobuf/any.proto",
                           "google/protobuf/descriptor.proto"}) {
    CHECK_MESSAGE(files.count(name) == 1, name);
  }
  google::protobuf::DescriptorPool pool;
  for (const auto& file : set.file()) REQUIRE(pool.BuildFile(file) != nullptr);
  const google::protobuf::ServiceDescriptor* service = pool.FindServiceByName(kCart);
  REQUIRE(service != nullptr);
  for (int i = 0; i < service->method_count(); ++i) {
    google::protobuf::FieldDescriptorProto key;
    service->method(i)->input_type()->FindFieldByName("user_id")->CopyTo(&key);
    CHECK(key.options().GetExtension(cloudstate::entity_key));
  }
  google::protobuf::MethodDescriptorProto get_cart;
  service->FindMethodByName("GetCart")->CopyTo(&get_cart);
  const google::api::HttpRule& rule = get_cart.options().GetExtension(google::api::http);
  CHECK(rule.get() == "/carts/{user_id}");
  REQUIRE(rule.additional_bindings_size() == 1);
  CHECK(rule.additional_bindings(0).get() == "/carts/{user_id}/items");
  CHECK(rule.additional_bindings(0).response_body() == "items");
}

TEST_CASE("cart: a new cart is empty") {
  auto function = StartShoppingCartFunction();
  EsStream stream(Connect(function->port()));
  REQUIRE(stream.Send(EsInit(kCart, "123")));
  es::EventSourcedReply reply = ReplyOf(stream.Exchange(EsCommand("123", 1, "GetCart", GetCart("123"))));
  CHECK(reply.events_size() == 0);
  CHECK_FALSE(reply.has_snapshot());
  CHECK(Unpacked<api::Cart>(reply.client_action().reply().payload()).items_size() == 0);
  CHECK(stream.Close().ok());
}

TEST_CASE("cart: a replayed ItemAdded is in the cart") {
  auto function = StartShoppingCartFunction();
  EsStream stream(Connect(function->port()));
  REQUIRE(stream.Send(EsInit(kCart, "123")));
  domain::ItemAdded added;
  added.mutable_item()->set_productid("abc");
  added.mutable_item()->set_name("Some product");
  added.mutable_item()->set_quantity(10);
  REQUIRE(stream.Send(EsEvent(1, added)));
  api::Cart cart = Unpacked<api::Cart>(
      ReplyOf(stream.Exchange(EsCommand("123", 1, "GetCart", GetCart("123")))).client_action().reply().payload());
  REQUIRE(cart.items_size() == 1);
  CHECK(cart.items(0).product_id() == "abc");
  CHECK(cart.items(0).name() == "Some product");
  CHECK(cart.items(0).quantity() == 10);
  CHECK(stream.Close().ok());
}

TEST_CASE("cart: AddItem emits ItemAdded, and GetCart shows it") {
  auto function = StartShoppingCartFunction();
  EsStream stream(Connect(function->port()));
  REQUIRE(stream.Send(EsInit(kCart, "123")));
  es::EventSourcedReply added =
      ReplyOf(stream.Exchange(EsCommand("123", 1, "AddItem", AddItem("123", "abc", "Some product", 10))));
  CHECK(Unpacked<google::protobuf::Empty>(added.client_action().reply().payload()).ByteSizeLong() == 0);
  REQUIRE(added.events_size() == 1);
  domain::ItemAdded event = Unpacked<domain::ItemAdded>(added.events(0));
  CHECK(event.item().productid() == "abc");
  CHECK(event.item().name() == "Some product");
  CHECK(event.item().quantity() == 10);

  api::Cart cart = Unpacked<api::Cart>(
      ReplyOf(stream.Exchange(EsCommand("123", 2, "GetCart", GetCart("123")))).client_action().reply().payload());
  REQUIRE(cart.items_size() == 1);
  CHECK(cart.items(0).product_id() == "abc");
  CHECK(cart.items(0).quantity() == 10);
  CHECK(stream.Close().ok());
}

TEST_CASE("cart: a snapshot of the cart rides with the fifth event; failures as in the sample") {
  auto function = StartShoppingCartFunction();
  EsStream stream(Connect(function->port()));
  REQUIRE(stream.Send(EsInit(kCart, "viktor")));
  for (int id = 1; id <= 5; ++id) {
    es::EventSourcedReply reply =
        ReplyOf(stream.Exchange(EsCommand("viktor", id, "AddItem", AddItem("viktor", "1337", "h4x0r", 1))));
    CHECK(reply.has_snapshot() == (id == 5));
    if (reply.has_snapshot()) CHECK(Unpacked<domain::Cart>(reply.snapshot()).items(0).quantity() == 5);
  }
  es::EventSourcedReply negative =
      ReplyOf(stream.Exchange(EsCommand("viktor", 6, "AddItem", AddItem("viktor", "bar", "B", 0))));
  CHECK(negative.client_action().failure().description() == "Cannot add negative quantity to item bar");
  CHECK_FALSE(negative.client_action().failure().restart());
  api::RemoveLineItem remove;
  remove.set_user_id("viktor");
  remove.set_product_id("nope");
  es::EventSourcedReply missing = ReplyOf(stream.Exchange(EsCommand("viktor", 7, "RemoveItem", remove)));
  CHECK(missing.client_action().failure().description() == "Item nope not in cart");
  remove.set_product_id("1337");
  es::EventSourcedReply removed = ReplyOf(stream.Exchange(EsCommand("viktor", 8, "RemoveItem", remove)));
  REQUIRE(removed.events_size() == 1);
  CHECK(Unpacked<domain::ItemRemoved>(removed.events(0)).productid() == "1337");
  CHECK(stream.Close().ok());
}

vapi::AddLineItem ValueAdd(const std::string& user, const std::string& product, int quantity) {
  vapi::AddLineItem add;
  add.set_user_id(user);
  add.set_product_id(product);
  add.set_name("Item " + product);
  add.set_quantity(quantity);
  return add;
}

ve::ValueEntityReply ValueReplyOf(const std::optional<ve::ValueEntityStreamOut>& out) {
  REQUIRE(out.has_value());
  REQUIRE_MESSAGE(out->has_reply(), out->DebugString());
  return out->reply();
}

TEST_CASE("value cart: adds are stored sorted, failures keep the state, RemoveCart deletes") {
  auto function = StartValueShoppingCartFunction();
  ::cloudstate::EntitySpec spec = Discover(Connect(function->port()));
  REQUIRE(spec.entities_size() == 1);
  CHECK(spec.entities(0).entity_type() == "cloudstate.valueentity.ValueEntity");
  CHECK(spec.entities(0).service_name() == kValueCart);
  CHECK(spec.entities(0).persistence_id() == "shopping-cart");

  VeStream stream(Connect(function->port()));
  REQUIRE(stream.Send(VeInit(kValueCart, "u1", nullptr)));
  vapi::GetShoppingCart get;
  get.set_user_id("u1");
  ve::ValueEntityReply empty = ValueReplyOf(stream.Exchange(VeCommand("u1", 1, "GetCart", get)));
  CHECK(Unpacked<vapi::Cart>(empty.client_action().reply().payload()).items_size() == 0);
  CHECK_FALSE(empty.has_state_action());

  ValueReplyOf(stream.Exchange(VeCommand("u1", 2, "AddItem", ValueAdd("u1", "b", 1))));
  ve::ValueEntityReply second = ValueReplyOf(stream.Exchange(VeCommand("u1", 3, "AddItem", ValueAdd("u1", "a", 2))));
  vdomain::Cart stored = Unpacked<vdomain::Cart>(second.state_action().update().value());
  REQUIRE(stored.items_size() == 2);
  CHECK(stored.items(0).productid() == "a");
  CHECK(stored.items(1).productid() == "b");

  ve::ValueEntityReply zero = ValueReplyOf(stream.Exchange(VeCommand("u1", 4, "AddItem", ValueAdd("u1", "c", 0))));
  CHECK(zero.client_action().failure().description() == "Cannot add negative quantity of to item c");
  CHECK_FALSE(zero.has_state_action());
  vapi::RemoveLineItem remove;
  remove.set_user_id("u1");
  remove.set_product_id("zz");
  ve::ValueEntityReply absent = ValueReplyOf(stream.Exchange(VeCommand("u1", 5, "RemoveItem", remove)));
  CHECK(absent.client_action().failure().description() == "Cannot remove item zz because it is not in the cart.");

  vapi::Cart cart =
      Unpacked<vapi::Cart>(ValueReplyOf(stream.Exchange(VeCommand("u1", 6, "GetCart", get))).client_action().reply().payload());
  REQUIRE(cart.items_size() == 2);
  CHECK(cart.items(0).product_id() == "a");
  CHECK(cart.items(0).quantity() == 2);

  vapi::RemoveShoppingCart remove_cart;
  remove_cart.set_user_id("u1");
  ve::ValueEntityReply deleted = ValueReplyOf(stream.Exchange(VeCommand("u1", 7, "RemoveCart", remove_cart)));
  CHECK(deleted.state_action().has_delete_());
  CHECK(stream.Close().ok());

  // A new activation with the stored value picks it up.
  VeStream again(Connect(function->port()));
  REQUIRE(again.Send(VeInit(kValueCart, "u1", &stored)));
  vapi::Cart restored =
      Unpacked<vapi::Cart>(ValueReplyOf(again.Exchange(VeCommand("u1", 1, "GetCart", get))).client_action().reply().payload());
  CHECK(restored.items_size() == 2);
  CHECK(again.Close().ok());
}

}  // namespace
}  // namespace fntest_support
