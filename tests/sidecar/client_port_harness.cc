#include "client_port_harness.h"

#include <doctest/doctest.h>

#include <regex>
#include <sstream>

#include "shopping_cart_entity.h"
#include "shopping_cart_function.h"
#include "support/test_sidecar.h"

namespace cloudstate::sidecartest {
namespace {

using namespace std::chrono_literals;

// The cart, waiting at the gate before each command.
class GatedCart final : public EventSourcedEntity {
 public:
  GatedCart(std::unique_ptr<EventSourcedEntity> cart, CommandGate& gate) : cart_(std::move(cart)), gate_(gate) {}
  Status HandleSnapshot(const google::protobuf::Any& snapshot, int64_t sequence) override {
    return cart_->HandleSnapshot(snapshot, sequence);
  }
  Status HandleEvent(const google::protobuf::Any& event, int64_t sequence) override {
    return cart_->HandleEvent(event, sequence);
  }
  void HandleCommand(const google::protobuf::Any& command, EventSourcedCommandContext& context) override {
    gate_.Enter();
    cart_->HandleCommand(command, context);
  }
  std::optional<google::protobuf::Any> Snapshot() override { return cart_->Snapshot(); }

 private:
  std::unique_ptr<EventSourcedEntity> cart_;
  CommandGate& gate_;
};

}  // namespace

void CommandGate::Enter() {
  std::unique_lock lock(mu_);
  ++entered_;
  cv_.notify_all();
  cv_.wait(lock, [this] { return open_; });
}

void CommandGate::Open() {
  std::lock_guard lock(mu_);
  open_ = true;
  cv_.notify_all();
}

bool CommandGate::WaitEntered(int count) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, 30s, [&] { return entered_ >= count; });
}

std::unique_ptr<FunctionServer> StartCartFunction(int port, CommandGate* gate) {
  FunctionServerOptions options;
  options.port = port;
  options.log = [](LogLevel, const std::string&) {};
  auto server = std::make_unique<FunctionServer>(options);
  if (gate == nullptr) {
    REQUIRE(shopping_cart::AddShoppingCart(*server).ok());
  } else {
    EventSourcedOptions cart;
    cart.persistence_id = shopping_cart::kPersistenceId;
    cart.snapshot_every = shopping_cart::kSnapshotEvery;
    const auto* service = com::example::shoppingcart::Cart::descriptor()->file()->FindServiceByName("ShoppingCart");
    auto factory = [gate](const std::string& id) -> std::unique_ptr<EventSourcedEntity> {
      auto cart = shopping_cart::NewShoppingCart(id);
      if (id.rfind("held-", 0) == 0) return std::make_unique<GatedCart>(std::move(cart), *gate);
      return cart;
    };
    REQUIRE(server->AddEventSourced(service, factory, cart).ok());
  }
  Status started = server->Start();
  REQUIRE_MESSAGE(started.ok(), started.ToString());
  return server;
}

int VacantPort() {
  auto server = StartCartFunction(0);
  int port = server->port();
  server->Shutdown(0ms);
  server->Wait();
  return port;
}

proxy::SidecarOptions TestSidecarOptions(int user_function_port) {
  proxy::SidecarOptions options = testing::TestSidecarOptions(user_function_port);
  options.max_http_body_bytes = 1024;
  return options;
}

std::unique_ptr<CartStub> CartClient(int port) {
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
  return com::example::shoppingcart::ShoppingCart::NewStub(channel);
}

grpc::Status AddItem(CartStub& cart, const std::string& user, const std::string& product, int quantity) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 30s);
  com::example::shoppingcart::AddLineItem request;
  request.set_user_id(user);
  request.set_product_id(product);
  request.set_name(product);
  request.set_quantity(quantity);
  google::protobuf::Empty reply;
  return cart.AddItem(&context, request, &reply);
}

grpc::Status GetCart(CartStub& cart, const std::string& user, com::example::shoppingcart::Cart* out) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 30s);
  com::example::shoppingcart::GetShoppingCart request;
  request.set_user_id(user);
  return cart.GetCart(&context, request, out);
}

std::map<std::string, double> ParseMetrics(const std::string& text, std::map<std::string, std::string>* types) {
  static const std::regex kSample(R"(([a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})?) (\S+))");
  static const std::regex kType(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
  std::map<std::string, double> samples;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch match;
    if (line.rfind("# HELP ", 0) == 0) continue;
    if (std::regex_match(line, match, kType)) {
      if (types != nullptr) (*types)[match[1]] = match[2];
      continue;
    }
    REQUIRE_MESSAGE(std::regex_match(line, match, kSample), "not a sample line: " << line);
    samples[match[1]] = std::stod(match[3]);
  }
  return samples;
}

}  // namespace cloudstate::sidecartest
