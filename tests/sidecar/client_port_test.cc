// The sidecar's one client port over real sockets: gRPC and HTTP/1.1 side by side, /live, /ready
// and /metrics, HTTP errors, and graceful shutdown; with the shopping cart served by our function
// server and the sidecar in-process.
#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include "client_port_harness.h"
#include "proxy/metrics/request_metrics.h"
#include "http_test_client.h"

namespace st = cloudstate::sidecartest;
using cloudstate::proxy::Sidecar;
using namespace std::chrono_literals;

namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Polls `condition` until it holds, for conditions nobody can wait on (a socket refusing).
template <typename Condition>
bool Eventually(Condition condition) {
  auto until = std::chrono::steady_clock::now() + 30s;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

int StatusOf(int port, const std::string& path) {
  auto response = st::HttpGet(port, path);
  return response ? response->status : -1;
}

struct Running {
  explicit Running(st::CommandGate* gate = nullptr) : function(st::StartCartFunction(0, gate)) {
    auto started = Sidecar::Start(st::TestSidecarOptions(function->port()));
    REQUIRE_MESSAGE(started.ok(), started.status().ToString());
    sidecar = std::move(*started);
    cloudstate::Status ready = sidecar->WaitUntilReady(30s);
    REQUIRE_MESSAGE(ready.ok(), ready.ToString());
    port = sidecar->port();
    cart = st::CartClient(port);
  }
  ~Running() { sidecar->Shutdown(5s); }

  std::unique_ptr<cloudstate::FunctionServer> function;
  std::unique_ptr<Sidecar> sidecar;
  int port = 0;
  std::unique_ptr<st::CartStub> cart;
};

}  // namespace

TEST_CASE("the port answers /live at once; /ready and gRPC calls once the late user function is discovered") {
  const int function_port = st::VacantPort();
  auto started = Sidecar::Start(st::TestSidecarOptions(function_port));
  REQUIRE_MESSAGE(started.ok(), started.status().ToString());
  std::unique_ptr<Sidecar> sidecar = std::move(*started);
  const int port = sidecar->port();
  REQUIRE(port != 0);
  CHECK_FALSE(sidecar->Ready());

  CHECK(StatusOf(port, "/live") == 200);
  CHECK(StatusOf(port, "/alive") == 200);
  auto ready = st::HttpGet(port, "/ready");
  REQUIRE(ready);
  CHECK(ready->status == 503);
  CHECK_MESSAGE(Contains(ready->body, "not been discovered"), ready->body);
  auto metrics = st::HttpGet(port, "/metrics");
  REQUIRE(metrics);
  CHECK(st::ParseMetrics(metrics->body)["cloudstate_ready"] == 0);

  // A gRPC call on the same port is held until the services are served, then answered.
  auto cart = st::CartClient(port);
  auto early = std::async(std::launch::async, [&] { return st::AddItem(*cart, "early", "tea", 1); });
  CHECK(StatusOf(port, "/ready") == 503);
  CHECK(early.wait_for(0s) == std::future_status::timeout);  // nothing can answer it yet

  auto function = st::StartCartFunction(function_port);
  cloudstate::Status serving = sidecar->WaitUntilReady(30s);
  REQUIRE_MESSAGE(serving.ok(), serving.ToString());
  CHECK(sidecar->port() == port);
  CHECK(StatusOf(port, "/ready") == 200);
  grpc::Status held = early.get();
  CHECK_MESSAGE(held.ok(), held.error_message());
  grpc::Status late = st::AddItem(*cart, "early", "tea", 1);
  CHECK_MESSAGE(late.ok(), late.error_message());
  com::example::shoppingcart::Cart contents;
  REQUIRE(st::GetCart(*cart, "early", &contents).ok());
  REQUIRE(contents.items_size() == 1);
  CHECK(contents.items(0).quantity() == 2);
  metrics = st::HttpGet(port, "/metrics");
  REQUIRE(metrics);
  CHECK(st::ParseMetrics(metrics->body)["cloudstate_ready"] == 1);
  sidecar->Shutdown(5s);
}

TEST_CASE("gRPC calls and HTTP/1.1 requests share the port at the same time") {
  Running r;
  constexpr int kGrpcClients = 4;
  constexpr int kCallsEach = 10;
  constexpr int kHttpClients = 4;
  std::atomic<int> grpc_failures{0};
  std::atomic<int> http_failures{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kGrpcClients; ++c) {
    clients.emplace_back([&, c] {
      auto cart = st::CartClient(r.port);  // a channel (connection) per client
      for (int i = 0; i < kCallsEach; ++i) {
        if (!st::AddItem(*cart, "shared-" + std::to_string(c), "item-" + std::to_string(i), 1).ok()) ++grpc_failures;
      }
    });
  }
  for (int c = 0; c < kHttpClients; ++c) {
    clients.emplace_back([&] {
      auto connection = st::HttpTestConnection::Connect(r.port);
      if (!connection) return void(++http_failures);
      for (int i = 0; i < 5; ++i) {
        // One request at a time, then three pipelined in one write, all on one keep-alive connection.
        connection->Send(st::GetRequest("/live"));
        auto one = connection->Read();
        if (!one || one->status != 200) ++http_failures;
        connection->Send(st::GetRequest("/ready") + st::GetRequest("/metrics") + st::GetRequest("/live"));
        auto ready = connection->Read();
        auto metrics = connection->Read();
        auto live = connection->Read();
        if (!ready || ready->status != 200 || ready->body != "ready\n") ++http_failures;
        if (!metrics || metrics->status != 200 || !Contains(metrics->body, "cloudstate_ready 1")) ++http_failures;
        if (!live || live->status != 200 || live->body != "live\n") ++http_failures;
      }
    });
  }
  for (auto& client : clients) client.join();
  CHECK(grpc_failures == 0);
  CHECK(http_failures == 0);
  for (int c = 0; c < kGrpcClients; ++c) {
    com::example::shoppingcart::Cart cart;
    REQUIRE(st::GetCart(*r.cart, "shared-" + std::to_string(c), &cart).ok());
    CHECK(cart.items_size() == kCallsEach);
  }
}

TEST_CASE("/metrics reflects the calls made, in the Prometheus text format") {
  Running r;
  auto scrape = [&](std::map<std::string, std::string>* types = nullptr) {
    auto response = st::HttpGet(r.port, "/metrics");
    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(response->headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8");
    return st::ParseMetrics(response->body, types);
  };
  std::map<std::string, std::string> types;
  auto before = scrape(&types);
  CHECK(types["cloudstate_ready"] == "gauge");
  CHECK(types["cloudstate_entities_active"] == "gauge");
  CHECK(types["cloudstate_entity_activations_total"] == "counter");
  CHECK(types["cloudstate_entity_passivations_total"] == "counter");
  CHECK(types["cloudstate_entity_restarts_total"] == "counter");
  CHECK(types["cloudstate_commands_completed_total"] == "counter");
  CHECK(types["cloudstate_journal_writes_total"] == "counter");
  CHECK(types["cloudstate_user_function_calls_in_flight"] == "gauge");
  CHECK(types["cloudstate_requests_total"] == "counter");
  CHECK(types["cloudstate_request_duration_seconds"] == "histogram");

  constexpr int kUsers = 3;
  constexpr int kItems = 4;
  for (int u = 0; u < kUsers; ++u) {
    for (int i = 0; i < kItems; ++i) {
      std::string user = "metered-";
      std::string product = "p";
      user += std::to_string(u);
      product += std::to_string(i);
      REQUIRE(st::AddItem(*r.cart, user, product, 1).ok());
    }
  }
  com::example::shoppingcart::Cart cart;
  REQUIRE(st::GetCart(*r.cart, "metered-0", &cart).ok());
  grpc::ClientContext context;
  com::example::shoppingcart::RemoveLineItem remove;
  remove.set_user_id("metered-0");
  remove.set_product_id("not-in-the-cart");
  google::protobuf::Empty empty;
  grpc::Status refused = r.cart->RemoveItem(&context, remove, &empty);
  REQUIRE_FALSE(refused.ok());

  auto after = scrape();
  auto moved = [&](const std::string& name) { return after[name] - before[name]; };
  const std::string cart_service = "service=\"com.example.shoppingcart.ShoppingCart\"";
  auto requests = [&](const std::string& method, const std::string& code) {
    return "cloudstate_requests_total{" + cart_service + ",method=\"" + method + "\",code=\"" + code + "\"}";
  };
  auto durations = [&](const std::string& method) {
    return "cloudstate_request_duration_seconds_count{" + cart_service + ",method=\"" + method + "\"}";
  };
  CHECK(moved(requests("AddItem", "OK")) == kUsers * kItems);
  CHECK(moved(requests("GetCart", "OK")) == 1);
  CHECK(moved(requests("RemoveItem", cloudstate::proxy::RequestMetrics::CodeName(refused.error_code()))) == 1);
  CHECK(moved(durations("AddItem")) == kUsers * kItems);
  CHECK(moved(durations("RemoveItem")) == 1);
  CHECK(moved("cloudstate_commands_completed_total") == kUsers * kItems + 2);
  CHECK(moved("cloudstate_journal_writes_total") >= kUsers * kItems);  // snapshots may add writes
  CHECK(moved("cloudstate_entity_activations_total") == kUsers);
  CHECK(after["cloudstate_entities_active"] >= kUsers);
  // Each live entity keeps its stream to the user function open.
  CHECK(after["cloudstate_user_function_calls_in_flight"] >= kUsers);
  CHECK(after["cloudstate_entity_restarts_total"] == 0);
  CHECK(after["cloudstate_ready"] == 1);
}

TEST_CASE("HTTP errors are answered clearly, and the connection stays usable where HTTP allows") {
  Running r;

  SUBCASE("404 and 405 keep the connection") {
    auto connection = st::HttpTestConnection::Connect(r.port);
    REQUIRE(connection);
    connection->Send(st::GetRequest("/nowhere"));
    auto missing = connection->Read();
    REQUIRE(missing);
    CHECK(missing->status == 404);
    CHECK(missing->keep_alive);
    connection->Send("POST /live HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
    auto wrong = connection->Read();
    REQUIRE(wrong);
    CHECK(wrong->status == 405);
    CHECK(wrong->headers["allow"] == "GET, HEAD");
    connection->Send("HEAD /live HTTP/1.1\r\nHost: x\r\n\r\n");
    auto head = connection->Read(/*head=*/true);
    REQUIRE(head);
    CHECK(head->status == 200);
    CHECK(head->headers["content-length"] == "5");
    connection->Send(st::GetRequest("/live"));
    auto live = connection->Read();
    REQUIRE(live);
    CHECK(live->status == 200);
    CHECK(live->body == "live\n");
  }
  SUBCASE("malformed input gets 400 and the connection closes") {
    auto connection = st::HttpTestConnection::Connect(r.port);
    REQUIRE(connection);
    connection->Send("GET /live HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
    auto bad = connection->Read();
    REQUIRE(bad);
    CHECK(bad->status == 400);
    CHECK_MESSAGE(Contains(bad->body, "malformed HTTP request"), bad->body);
    CHECK_FALSE(bad->keep_alive);
    CHECK(connection->ClosedByServer());
  }
  SUBCASE("a request line that is not HTTP gets 400") {
    auto connection = st::HttpTestConnection::Connect(r.port);
    REQUIRE(connection);
    connection->Send("HELLO\r\n\r\n");
    auto bad = connection->Read();
    REQUIRE(bad);
    CHECK(bad->status == 400);
    CHECK(connection->ClosedByServer());
  }
  SUBCASE("HTTP/1.1 without Host gets 400") {
    auto connection = st::HttpTestConnection::Connect(r.port);
    REQUIRE(connection);
    connection->Send("GET /live HTTP/1.1\r\n\r\n");
    auto bad = connection->Read();
    REQUIRE(bad);
    CHECK(bad->status == 400);
    CHECK_MESSAGE(Contains(bad->body, "Host"), bad->body);
  }
  SUBCASE("a body over the limit gets 413, before it is sent") {
    auto connection = st::HttpTestConnection::Connect(r.port);
    REQUIRE(connection);
    connection->Send("POST /live HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
    auto large = connection->Read();
    REQUIRE(large);
    CHECK(large->status == 413);
    CHECK_MESSAGE(Contains(large->body, "5000 bytes"), large->body);
    CHECK(connection->ClosedByServer());
  }
  SUBCASE("a chunked body over the limit gets 413 while the client still sends") {
    auto connection = st::HttpTestConnection::Connect(r.port);
    REQUIRE(connection);
    std::string request = "POST /live HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 8; ++i) request += "200\r\n" + std::string(0x200, 'x') + "\r\n";
    connection->Send(request);
    auto large = connection->Read();
    REQUIRE(large);
    CHECK(large->status == 413);
    CHECK(connection->ClosedByServer());
  }
  SUBCASE("oversized headers get 431") {
    auto connection = st::HttpTestConnection::Connect(r.port);
    REQUIRE(connection);
    connection->Send("GET /live HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(100 * 1024, 'a') + "\r\n\r\n");
    auto large = connection->Read();
    REQUIRE(large);
    CHECK(large->status == 431);
  }
  SUBCASE("HTTP/1.0 closes after the response unless asked to keep alive") {
    auto connection = st::HttpTestConnection::Connect(r.port);
    REQUIRE(connection);
    connection->Send("GET /live HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    auto kept = connection->Read();
    REQUIRE(kept);
    CHECK(kept->status == 200);
    CHECK(kept->headers["connection"] == "keep-alive");
    connection->Send("GET /live HTTP/1.0\r\n\r\n");
    auto last = connection->Read();
    REQUIRE(last);
    CHECK(last->status == 200);
    CHECK(connection->ClosedByServer());
  }
  // Errors on one connection leave the others alone.
  CHECK(StatusOf(r.port, "/ready") == 200);
  CHECK(st::AddItem(*r.cart, "after-errors", "tea", 1).ok());
}

TEST_CASE("shutdown stops accepting, reports not ready, and lets the call in flight finish") {
  st::CommandGate gate;
  Running r(&gate);
  auto probe = st::HttpTestConnection::Connect(r.port);  // opened before shutdown, kept alive
  REQUIRE(probe);
  probe->Send(st::GetRequest("/ready"));
  auto ready = probe->Read();
  REQUIRE(ready);
  CHECK(ready->status == 200);

  auto in_flight = std::async(std::launch::async, [&] { return st::AddItem(*r.cart, "held-1", "tea", 2); });
  REQUIRE(gate.WaitEntered(1));  // the command is at the user function now
  auto shutdown = std::async(std::launch::async, [&] { r.sidecar->Shutdown(60s); });

  CHECK(Eventually([&] { return !st::HttpTestConnection::Connect(r.port).has_value(); }));
  CHECK(Eventually([&] {
    probe->Send(st::GetRequest("/ready"));
    auto answer = probe->Read();
    return answer && answer->status == 503 && Contains(answer->body, "shutting down");
  }));
  CHECK_FALSE(r.sidecar->Ready());
  CHECK(shutdown.wait_for(0s) == std::future_status::timeout);  // still waiting for the call

  gate.Open();
  grpc::Status finished = in_flight.get();
  CHECK_MESSAGE(finished.ok(), finished.error_message());
  shutdown.get();
  CHECK(probe->ClosedByServer());
  CHECK_FALSE(st::HttpTestConnection::Connect(r.port).has_value());
}

TEST_CASE("shutdown before discovery closes the held gRPC connections and refuses new ones") {
  auto started = Sidecar::Start(st::TestSidecarOptions(st::VacantPort()));
  REQUIRE_MESSAGE(started.ok(), started.status().ToString());
  std::unique_ptr<Sidecar> sidecar = std::move(*started);
  const int port = sidecar->port();
  auto cart = st::CartClient(port);
  auto held = std::async(std::launch::async, [&] { return st::AddItem(*cart, "never", "tea", 1); });
  CHECK(StatusOf(port, "/ready") == 503);
  sidecar->Shutdown(1s);
  grpc::Status ended = held.get();
  CHECK_MESSAGE(ended.error_code() == grpc::StatusCode::UNAVAILABLE, ended.error_message());
  CHECK_FALSE(st::HttpTestConnection::Connect(port).has_value());
}
