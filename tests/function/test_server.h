// Handler side: a FunctionServer on 127.0.0.1:0 that keeps its log lines for the tests.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cloudstate/function_server.h"
#include "test_function.h"

namespace fntest_support {

class TestServer final : public TestFunction {
 public:
  TestServer() {
    cloudstate::FunctionServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.service_name = "function-server-test";
    options.service_version = "1.2.3";
    options.log = [this](cloudstate::LogLevel level, const std::string& line) {
      std::lock_guard lock(mu_);
      logs_.push_back(std::string(cloudstate::LogLevelName(level)) + " " + line);
    };
    server_ = std::make_unique<cloudstate::FunctionServer>(options);
  }
  ~TestServer() override { server_.reset(); }  // stops the server before the log it writes to

  cloudstate::FunctionServer& server() { return *server_; }

  bool Start() {
    cloudstate::Status status = server_->Start();
    if (!status.ok()) {
      std::lock_guard lock(mu_);
      logs_.push_back("start failed: " + status.ToString());
    }
    return status.ok();
  }

  int port() const override { return server_->port(); }
  std::vector<std::string> Logs() const override {
    std::lock_guard lock(mu_);
    return logs_;
  }
  int ValueHandlersCreated() const override { return value_handlers_created.load(); }

  std::atomic<int> value_handlers_created{0};

 private:
  mutable std::mutex mu_;
  std::vector<std::string> logs_;
  std::unique_ptr<cloudstate::FunctionServer> server_;
};

}  // namespace fntest_support
