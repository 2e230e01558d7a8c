// Starting, port reporting and shutting down a FunctionServer.
#include <doctest/doctest.h>

#include "cloudstate/function_server.h"
#include "fntest_bad.pb.h"

namespace {

using cloudstate::FunctionServer;
using cloudstate::StatusCode;

class Nothing final : public cloudstate::EventSourcedEntity {
 public:
  cloudstate::Status HandleEvent(const google::protobuf::Any&, int64_t) override { return cloudstate::Status::Ok(); }
  void HandleCommand(const google::protobuf::Any&, cloudstate::EventSourcedCommandContext&) override {}
};

cloudstate::FunctionServerOptions OnPort(int port) {
  cloudstate::FunctionServerOptions options;
  options.port = port;
  options.log = [](cloudstate::LogLevel, const std::string&) {};
  return options;
}

cloudstate::Status AddFine(FunctionServer& server) {
  return server.AddEventSourced(fntest::bad::Keyed::descriptor()->file()->FindServiceByName("Fine"),
                                [](const std::string&) { return std::make_unique<Nothing>(); });
}

TEST_CASE("port 0 picks a free port; Start is once; services come before Start") {
  FunctionServer server(OnPort(0));
  REQUIRE(AddFine(server).ok());
  REQUIRE(server.Start().ok());
  CHECK(server.port() > 0);
  CHECK(server.Start().code() == StatusCode::kInvalidArgument);
  cloudstate::Status late = server.AddAction(fntest::bad::Keyed::descriptor()->file()->FindServiceByName("FineToo"),
                                             [] { return std::make_unique<cloudstate::Action>(); });
  CHECK(late.code() == StatusCode::kInvalidArgument);
  server.Shutdown();
  server.Shutdown();  // idempotent
  server.Wait();
}

TEST_CASE("a port already in use is Unavailable") {
  FunctionServer first(OnPort(0));
  REQUIRE(AddFine(first).ok());
  REQUIRE(first.Start().ok());
  FunctionServer second(OnPort(first.port()));
  REQUIRE(AddFine(second).ok());
  cloudstate::Status status = second.Start();
  CHECK(status.code() == StatusCode::kUnavailable);
  CHECK(status.message().find(std::to_string(first.port())) != std::string::npos);
  CHECK(second.port() == 0);
  second.Wait();  // never started: returns at once
}

}  // namespace
