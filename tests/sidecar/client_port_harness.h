// The shopping cart served by our function server, and the sidecar in front of it in-process, for
// the client port tests. Carts of users whose id starts with "held-" hold every command at a gate
// until the test opens it, so a call can be kept in flight.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "cloudstate/function_server.h"
#include "proxy/sidecar.h"
#include "shoppingcart.grpc.pb.h"

namespace cloudstate::sidecartest {

class CommandGate {
 public:
  void Enter();  // blocks until Open()
  void Open();
  // Waits until `count` commands have entered; false after 30 s (a safety net).
  bool WaitEntered(int count);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  int entered_ = 0;
};

// The cart function on `port` (0: any). With a gate, "held-" carts wait at it.
std::unique_ptr<FunctionServer> StartCartFunction(int port, CommandGate* gate = nullptr);

// A port nothing listens on now (a function server bound it and went away).
int VacantPort();

proxy::SidecarOptions TestSidecarOptions(int user_function_port);

using CartStub = com::example::shoppingcart::ShoppingCart::Stub;
std::unique_ptr<CartStub> CartClient(int port);
grpc::Status AddItem(CartStub& cart, const std::string& user, const std::string& product, int quantity);
grpc::Status GetCart(CartStub& cart, const std::string& user, com::example::shoppingcart::Cart* out);

// `name{labels}` -> value for every sample of a /metrics page; the TYPE of every family in `types`.
// Fails the test on a line that is not valid text format.
std::map<std::string, double> ParseMetrics(const std::string& text, std::map<std::string, std::string>* types = nullptr);

}  // namespace cloudstate::sidecartest
