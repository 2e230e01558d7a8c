// A C++ program that embeds the engine as its local state store and runs the shopping cart
// in-process on SQLite (or LevelDB). Run it twice: the cart is still there.
//
//   shopping-cart-embedded                        add one "A foo" to the cart of "demo", show it
//   shopping-cart-embedded add USER PRODUCT NAME QUANTITY
//   shopping-cart-embedded remove USER PRODUCT
//   shopping-cart-embedded get USER
#include <google/protobuf/empty.pb.h>

#include <cstdio>
#include <cxxopts.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "cloudstate/engine.h"
#include "shopping_cart_entity.h"
#include "shoppingcart.pb.h"

namespace {

namespace api = com::example::shoppingcart;
using cloudstate::Engine;
using cloudstate::MakeCommand;

int Usage(const cxxopts::Options& options, const std::string& problem) {
  std::cerr << "error: " << problem << "\n\n" << options.help() << '\n';
  return 2;
}

// Returns the process exit code: 0 on success, 1 when the entity rejected the command.
int Run(Engine& engine, const std::vector<std::string>& args) {
  const std::string verb = args.empty() ? "demo" : args[0];
  cloudstate::EntityCommand command;
  std::string user;
  if (verb == "demo" || verb == "add") {
    api::AddLineItem add;
    if (verb == "demo") {
      add.set_user_id("demo"), add.set_product_id("foo"), add.set_name("A foo"), add.set_quantity(1);
    } else {
      if (args.size() != 5) return -1;
      add.set_user_id(args[1]), add.set_product_id(args[2]), add.set_name(args[3]);
      add.set_quantity(std::atoi(args[4].c_str()));
    }
    user = add.user_id();
    command = MakeCommand(shopping_cart::kEntityType, user, "AddItem", add);
  } else if (verb == "remove") {
    if (args.size() != 3) return -1;
    api::RemoveLineItem remove;
    remove.set_user_id(args[1]), remove.set_product_id(args[2]);
    user = args[1];
    command = MakeCommand(shopping_cart::kEntityType, user, "RemoveItem", remove);
  } else if (verb == "get") {
    if (args.size() != 2) return -1;
    user = args[1];
  } else {
    return -1;
  }

  if (!command.name.empty()) {
    auto result = engine.SendAndWait(std::move(command));
    if (!result.ok()) {
      std::cerr << verb << " failed: " << result.status().ToString() << '\n';
      return 1;
    }
  }

  api::GetShoppingCart get;
  get.set_user_id(user);
  auto reply = engine.SendAndWait(MakeCommand(shopping_cart::kEntityType, user, "GetCart", get));
  if (!reply.ok()) {
    std::cerr << "get failed: " << reply.status().ToString() << '\n';
    return 1;
  }
  auto cart = cloudstate::Unpack<api::Cart>(*reply->payload);
  std::cout << "cart of " << user << ":" << (cart->items().empty() ? " empty" : "") << '\n';
  for (const auto& item : cart->items()) {
    std::cout << "  " << item.product_id() << "  " << item.name() << "  x" << item.quantity() << '\n';
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  cxxopts::Options options("shopping-cart-embedded", "A shopping cart kept by the embedded Cloudstate engine.");
  options.add_options()
      ("store", "store kind: sqlite, leveldb or memory", cxxopts::value<std::string>()->default_value("sqlite"))
      ("path", "store file (sqlite) or directory (leveldb)",
       cxxopts::value<std::string>()->default_value("shopping-cart.db"))
      ("h,help", "show this help")
      ("args", "demo | add USER PRODUCT NAME QUANTITY | remove USER PRODUCT | get USER",
       cxxopts::value<std::vector<std::string>>());
  options.parse_positional({"args"});
  options.positional_help("[demo | add USER PRODUCT NAME QUANTITY | remove USER PRODUCT | get USER]");

  cxxopts::ParseResult parsed;
  try {
    parsed = options.parse(argc, argv);
  } catch (const std::exception& e) {
    return Usage(options, e.what());
  }
  if (parsed.count("help")) {
    std::cout << options.help() << '\n';
    return 0;
  }

  cloudstate::EngineOptions engine_options;
  engine_options.store.kind = parsed["store"].as<std::string>();
  engine_options.store.path = parsed["path"].as<std::string>();
  auto engine = Engine::Open(engine_options);
  if (!engine.ok()) {
    std::cerr << "cannot open the store: " << engine.status().ToString() << '\n';
    return 1;
  }
  cloudstate::EntityTypeOptions cart_options;
  cart_options.persistence_id = shopping_cart::kPersistenceId;
  cart_options.snapshot_every = shopping_cart::kSnapshotEvery;
  if (auto status = (*engine)->RegisterEventSourced(shopping_cart::kEntityType, shopping_cart::NewShoppingCart,
                                                     cart_options);
      !status.ok()) {
    std::cerr << status.ToString() << '\n';
    return 1;
  }

  std::vector<std::string> args;
  if (parsed.count("args")) args = parsed["args"].as<std::vector<std::string>>();
  int code = Run(**engine, args);
  if (code < 0) return Usage(options, "unexpected arguments");
  return code;
}
