// The shopping cart sample's acceptance scenarios, run against the embedded engine on SQLite.
#include <doctest/doctest.h>
#include <google/protobuf/empty.pb.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "cloudstate/engine.h"
#include "domain.pb.h"
#include "shopping_cart_entity.h"
#include "shoppingcart.pb.h"

namespace {

namespace api = com::example::shoppingcart;
namespace domain = com::example::shoppingcart::persistence;
using cloudstate::Engine;
using cloudstate::MakeCommand;
using cloudstate::StatusCode;

// A directory for one test's store, removed with everything in it when the test ends.
class TempDir {
 public:
  TempDir() {
    char dir[] = "/tmp/cart-test-XXXXXX";
    REQUIRE(mkdtemp(dir) != nullptr);
    dir_ = dir;
  }
  ~TempDir() { std::filesystem::remove_all(dir_); }
  std::string Path() const { return dir_ + "/cart.db"; }

 private:
  std::string dir_;
};

std::unique_ptr<Engine> OpenCart(const std::string& path) {
  cloudstate::EngineOptions options;
  options.store.kind = "sqlite";
  options.store.path = path;
  auto engine = Engine::Open(options);
  REQUIRE_MESSAGE(engine.ok(), engine.status().ToString());
  cloudstate::EntityTypeOptions cart;
  cart.persistence_id = shopping_cart::kPersistenceId;
  cart.snapshot_every = shopping_cart::kSnapshotEvery;
  REQUIRE((*engine)->RegisterEventSourced(shopping_cart::kEntityType, shopping_cart::NewShoppingCart, cart).ok());
  return std::move(*engine);
}

cloudstate::Result<cloudstate::CommandReply> Add(Engine& engine, const std::string& user, const std::string& product,
                                          const std::string& name, int quantity) {
  api::AddLineItem add;
  add.set_user_id(user), add.set_product_id(product), add.set_name(name), add.set_quantity(quantity);
  return engine.SendAndWait(MakeCommand(shopping_cart::kEntityType, user, "AddItem", add));
}

cloudstate::Result<cloudstate::CommandReply> Remove(Engine& engine, const std::string& user, const std::string& product) {
  api::RemoveLineItem remove;
  remove.set_user_id(user), remove.set_product_id(product);
  return engine.SendAndWait(MakeCommand(shopping_cart::kEntityType, user, "RemoveItem", remove));
}

api::Cart Get(Engine& engine, const std::string& user) {
  api::GetShoppingCart get;
  get.set_user_id(user);
  auto reply = engine.SendAndWait(MakeCommand(shopping_cart::kEntityType, user, "GetCart", get));
  REQUIRE_MESSAGE(reply.ok(), reply.status().ToString());
  REQUIRE(reply->payload.has_value());
  auto cart = cloudstate::Unpack<api::Cart>(*reply->payload);
  REQUIRE(cart.ok());
  return *cart;
}

}  // namespace

TEST_CASE("the cart starts empty, adds, merges quantities and removes") {
  TempDir dir;
  auto engine = OpenCart(dir.Path());
  CHECK(Get(*engine, "u1").items_size() == 0);

  auto added = Add(*engine, "u1", "foo", "A foo", 10);
  REQUIRE(added.ok());
  CHECK(added->payload->Is<google::protobuf::Empty>());
  REQUIRE(Add(*engine, "u1", "foo", "A foo", 5).ok());
  api::Cart cart = Get(*engine, "u1");
  REQUIRE(cart.items_size() == 1);
  CHECK(cart.items(0).product_id() == "foo");
  CHECK(cart.items(0).name() == "A foo");
  CHECK(cart.items(0).quantity() == 15);

  auto negative = Add(*engine, "u1", "bar", "B", 0);
  CHECK(negative.status().code() == StatusCode::kCommandFailed);
  CHECK(negative.status().message() == "Cannot add negative quantity to item bar");

  auto missing = Remove(*engine, "u1", "nope");
  CHECK(missing.status().code() == StatusCode::kCommandFailed);
  CHECK(missing.status().message() == "Item nope not in cart");

  REQUIRE(Remove(*engine, "u1", "foo").ok());
  CHECK(Get(*engine, "u1").items_size() == 0);
}

TEST_CASE("eight adds of one product, then a remove (the sample client's demo)") {
  TempDir dir;
  auto engine = OpenCart(dir.Path());
  for (int i = 0; i < 8; ++i) REQUIRE(Add(*engine, "viktor", "1337", "h4x0r", 1).ok());
  api::Cart cart = Get(*engine, "viktor");
  REQUIRE(cart.items_size() == 1);
  CHECK(cart.items(0).quantity() == 8);
  REQUIRE(Remove(*engine, "viktor", "1337").ok());
  CHECK(Get(*engine, "viktor").items_size() == 0);
}

TEST_CASE("a reopened engine recovers the cart from the snapshot at event 5 plus later events") {
  TempDir dir;
  std::string path = dir.Path();
  {
    auto engine = OpenCart(path);
    for (int i = 0; i < 7; ++i) REQUIRE(Add(*engine, "u2", "item" + std::to_string(i % 3), "n", 1).ok());
  }
  auto engine = OpenCart(path);
  cloudstate::EntityKey key{shopping_cart::kPersistenceId, "u2"};
  auto snapshot = engine->store().journal().LoadSnapshot(key);
  REQUIRE(snapshot.ok());
  REQUIRE(snapshot->has_value());
  CHECK((*snapshot)->sequence == 5);
  CHECK((*snapshot)->state.type_url() == "type.googleapis.com/com.example.shoppingcart.persistence.Cart");
  auto highest = engine->store().journal().HighestSequence(key);
  REQUIRE(highest.ok());
  CHECK(*highest == 7);

  api::Cart cart = Get(*engine, "u2");
  REQUIRE(cart.items_size() == 3);
  CHECK(cart.items(0).quantity() == 3);  // item0: events 1, 4, 7
  CHECK(cart.items(1).quantity() == 2);
  CHECK(cart.items(2).quantity() == 2);
}

TEST_CASE("events are stored with the sample's type URLs") {
  TempDir dir;
  auto engine = OpenCart(dir.Path());
  REQUIRE(Add(*engine, "u3", "abc", "Some product", 10).ok());
  REQUIRE(Remove(*engine, "u3", "abc").ok());
  std::vector<std::string> types;
  REQUIRE(engine->store()
              .journal()
              .ReadEvents({shopping_cart::kPersistenceId, "u3"}, 1,
                          [&](const cloudstate::StoredEvent& event) {
                            types.push_back(event.payload.type_url());
                            return true;
                          })
              .ok());
  CHECK(types == std::vector<std::string>{"type.googleapis.com/com.example.shoppingcart.persistence.ItemAdded",
                                          "type.googleapis.com/com.example.shoppingcart.persistence.ItemRemoved"});
}
