// Function servers for the protocol tests, started on 127.0.0.1:0. Handler side lives in
// test_function.cc and cart_functions.cc; this header names neither the public command API nor the
// generated protocol, so the protocol tests (which talk like a proxy) can include it.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace fntest_support {

// A running function server. Thread-safe.
class TestFunction {
 public:
  virtual ~TestFunction() = default;
  virtual int port() const = 0;
  std::string target() const { return "127.0.0.1:" + std::to_string(port()); }
  // Log lines so far ("warning ...", "error ...").
  virtual std::vector<std::string> Logs() const = 0;
  bool Logged(const std::string& fragment) const {
    for (const std::string& line : Logs()) {
      if (line.find(fragment) != std::string::npos) return true;
    }
    return false;
  }
  // How many value-entity handlers the factory made (restarts make new ones).
  virtual int ValueHandlersCreated() const = 0;
};

// Serves fntest.Model (event sourced, persistence id "model", snapshot every 5), fntest.Two and
// fntest.Configured (event sourced; the latter persistence id "configured", passivation 100 ms),
// fntest.ValueModel (value entity), fntest.Actions (action) and fntest.Unimplemented (an action
// served by the base Action class).
std::unique_ptr<TestFunction> StartTestFunction();

// The examples: com.example.shoppingcart.ShoppingCart ("shopping-cart", snapshot every 5) and
// com.example.valueentity.shoppingcart.ShoppingCart ("shopping-cart"), each on its own server.
std::unique_ptr<TestFunction> StartShoppingCartFunction();
std::unique_ptr<TestFunction> StartValueShoppingCartFunction();

}  // namespace fntest_support
