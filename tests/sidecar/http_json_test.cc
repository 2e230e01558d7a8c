// HTTP/JSON through the sidecar over real sockets: the shopping cart by its google.api.http routes
// (our function server, the sidecar in-process), keep-alive, HTTP connections and gRPC calls on
// the one port at the same time, every error a client can provoke (and the connection carrying on
// after it), request metrics; and a server-streaming action as newline-delimited JSON and as
// server-sent events, with request headers reaching the function and reply metadata coming back
// as response headers.
#include <doctest/doctest.h>

#include <atomic>
#include <optional>
#include <thread>
#include <vector>

#include "client_port_harness.h"
#include "http_test_client.h"
#include "streamed_function.h"

namespace st = cloudstate::sidecartest;
using cloudstate::proxy::Sidecar;
using namespace std::chrono_literals;

namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string Post(const std::string& path, const std::string& body, const std::string& extra_headers = "") {
  return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
}

// One request on `connection`; fails the test when no response comes.
st::HttpTestResponse Exchange(st::HttpTestConnection& connection, const std::string& request) {
  REQUIRE(connection.Send(request));
  auto response = connection.Read();
  REQUIRE_MESSAGE(response, "no response to " << request.substr(0, request.find('\r')));
  return *response;
}

struct Cart {
  Cart() : function(st::StartCartFunction(0)) {
    auto started = Sidecar::Start(st::TestSidecarOptions(function->port()));
    REQUIRE_MESSAGE(started.ok(), started.status().ToString());
    sidecar = std::move(*started);
    cloudstate::Status ready = sidecar->WaitUntilReady(30s);
    REQUIRE_MESSAGE(ready.ok(), ready.ToString());
    port = sidecar->port();
    grpc_cart = st::CartClient(port);
  }
  ~Cart() { sidecar->Shutdown(5s); }

  st::HttpTestConnection Connect() const {
    auto connection = st::HttpTestConnection::Connect(port);
    REQUIRE(connection);
    return std::move(*connection);
  }

  std::unique_ptr<cloudstate::FunctionServer> function;
  std::unique_ptr<Sidecar> sidecar;
  int port = 0;
  std::unique_ptr<st::CartStub> grpc_cart;
};

}  // namespace

TEST_CASE("the shopping cart over HTTP/JSON: add, remove, get by its routes, on one kept-alive connection") {
  Cart c;
  auto http = c.Connect();
  auto added = Exchange(http, Post("/cart/u1/items/add", R"({"productId":"tea","name":"Tea","quantity":2})"));
  CHECK(added.status == 200);
  CHECK(added.headers["content-type"] == "application/json");
  CHECK(added.body == "{}");
  CHECK(added.keep_alive);
  CHECK(Exchange(http, Post("/cart/u1/items/add", R"({"product_id":"jam","name":"Jam","quantity":1})")).status == 200);
  CHECK(Exchange(http, Post("/cart/u1/items/add", R"({"productId":"tea","name":"Tea","quantity":3})")).status == 200);

  auto cart = Exchange(http, st::GetRequest("/carts/u1"));
  CHECK(cart.status == 200);
  CHECK(cart.body ==
        R"({"items":[{"productId":"tea","name":"Tea","quantity":5},{"productId":"jam","name":"Jam","quantity":1}]})");
  // The additional binding renders only the items (response_body: "items").
  auto items = Exchange(http, st::GetRequest("/carts/u1/items"));
  CHECK(items.status == 200);
  CHECK(items.body == R"([{"productId":"tea","name":"Tea","quantity":5},{"productId":"jam","name":"Jam","quantity":1}])");

  // RemoveItem takes both fields from the path; no body.
  auto removed = Exchange(http, "POST /cart/u1/items/jam/remove HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  CHECK(removed.status == 200);
  CHECK(Exchange(http, st::GetRequest("/carts/u1")).body == R"({"items":[{"productId":"tea","name":"Tea","quantity":5}]})");

  // The same entity over gRPC on the same port.
  com::example::shoppingcart::Cart over_grpc;
  REQUIRE(st::GetCart(*c.grpc_cart, "u1", &over_grpc).ok());
  REQUIRE(over_grpc.items_size() == 1);
  CHECK(over_grpc.items(0).quantity() == 5);
  // An empty cart renders its default values.
  CHECK(Exchange(http, st::GetRequest("/carts/nobody")).body == R"({"items":[]})");
}

TEST_CASE("HEAD is answered as the GET it stands for, without the body; Expect: 100-continue before the body") {
  Cart c;
  auto http = c.Connect();
  CHECK(Exchange(http, Post("/cart/h1/items/add", R"({"productId":"tea","name":"Tea","quantity":2})")).status == 200);
  auto got = Exchange(http, st::GetRequest("/carts/h1"));
  REQUIRE(http.Send("HEAD /carts/h1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto head = http.Read(true);
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->headers["content-type"] == "application/json");
  CHECK(head->headers["content-length"] == std::to_string(got.body.size()));
  CHECK(head->body.empty());
  // Errors too: the status and headers of the GET's answer.
  REQUIRE(http.Send("HEAD /carts/h1/nothing HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK(http.Read(true)->status == 404);
  REQUIRE(http.Send("HEAD /cart/h1/items/add HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto wrong = http.Read(true);
  CHECK(wrong->status == 405);
  CHECK(wrong->headers["allow"] == "POST");

  // The client waits for 100 Continue before sending the body; the route is known from the head.
  std::string body = R"({"productId":"jam","quantity":1})";
  REQUIRE(http.Send("POST /cart/h1/items/add HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    "Expect: 100-continue\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n"));
  auto go_on = http.Read();
  REQUIRE(go_on);
  CHECK(go_on->status == 100);
  CHECK(Exchange(http, body).status == 200);
  CHECK(Exchange(http, st::GetRequest("/carts/h1/items")).body ==
        R"([{"productId":"tea","name":"Tea","quantity":2},{"productId":"jam","name":"","quantity":1}])");
  // An unknown route is refused before the body is sent.
  REQUIRE(http.Send("POST /cart/h1/items/none HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                    "Content-Length: 2\r\n\r\n"));
  auto refused = http.Read();
  REQUIRE(refused);
  CHECK(refused->status == 404);
  CHECK_FALSE(refused->keep_alive);
}

TEST_CASE("HTTP connections and gRPC calls on the one port at the same time") {
  Cart c;
  constexpr int kHttpClients = 4;
  constexpr int kGrpcClients = 4;
  constexpr int kAdds = 10;
  std::vector<std::thread> clients;
  std::atomic<int> failures{0};
  for (int i = 0; i < kHttpClients; ++i) {
    clients.emplace_back([&, i] {
      auto connection = st::HttpTestConnection::Connect(c.port);
      if (!connection) return void(++failures);
      for (int n = 0; n < kAdds; ++n) {
        std::string user = "http-" + std::to_string(i);
        if (!connection->Send(Post("/cart/" + user + "/items/add", R"({"productId":"p","quantity":1})"))) ++failures;
        auto response = connection->Read();
        if (!response || response->status != 200) ++failures;
      }
    });
  }
  for (int i = 0; i < kGrpcClients; ++i) {
    clients.emplace_back([&, i] {
      for (int n = 0; n < kAdds; ++n) {
        if (!st::AddItem(*c.grpc_cart, "grpc-" + std::to_string(i), "p", 1).ok()) ++failures;
      }
    });
  }
  for (auto& client : clients) client.join();
  CHECK(failures == 0);
  auto http = c.Connect();
  for (int i = 0; i < kHttpClients; ++i) {
    auto cart = Exchange(http, st::GetRequest("/carts/http-" + std::to_string(i)));
    CHECK(cart.body == R"({"items":[{"productId":"p","name":"","quantity":10}]})");
  }
  for (int i = 0; i < kGrpcClients; ++i) {  // added over gRPC, read over HTTP
    auto cart = Exchange(http, st::GetRequest("/carts/grpc-" + std::to_string(i) + "/items"));
    CHECK(cart.body == R"([{"productId":"p","name":"p","quantity":10}])");
  }
}

TEST_CASE("every bad request gets a clear answer, and the connection and server carry on") {
  Cart c;
  std::optional<st::HttpTestConnection> http(c.Connect());
  auto expect = [&](const std::string& request, int status, const std::string& part) {
    auto response = Exchange(*http, request);
    CHECK_MESSAGE(response.status == status, request.substr(0, request.find('\r')) << " -> " << response.body);
    CHECK_MESSAGE(Contains(response.body, part), response.body);
    CHECK(response.keep_alive);
    return response;
  };
  SUBCASE("malformed JSON") {
    auto bad = expect(Post("/cart/u2/items/add", R"({"productId": )"), 400, "\"code\":3");
    CHECK(bad.headers["content-type"] == "application/json");
  }
  SUBCASE("a wrong JSON type") { expect(Post("/cart/u2/items/add", R"({"quantity": "many"})"), 400, "quantity"); }
  SUBCASE("an unknown JSON member") { expect(Post("/cart/u2/items/add", R"({"colour": "red"})"), 400, "colour"); }
  SUBCASE("not JSON") {
    expect("POST /cart/u2/items/add HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi",
           400, "application/json");
  }
  SUBCASE("an unknown route") {
    auto missing = expect(st::GetRequest("/no/such/route"), 404, "\"code\":5");
    CHECK(missing.headers["content-type"] == "application/json");
  }
  SUBCASE("a wrong method") {
    auto wrong = expect("DELETE /carts/u2 HTTP/1.1\r\nHost: x\r\n\r\n", 405, "DELETE");
    CHECK(wrong.headers["allow"] == "GET, HEAD");
  }
  SUBCASE("a missing entity key") { expect(Post("/cart//items/add", R"({"productId":"tea"})"), 400, "user_id"); }
  SUBCASE("an unknown query parameter") { expect(st::GetRequest("/carts/u2?colour=red"), 400, "colour"); }
  SUBCASE("the user function's failure: 500 with its description as plain text") {
    auto failed = expect("POST /cart/u2/items/none/remove HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 500, "");
    CHECK(failed.body == "Item none not in cart");
    CHECK(Contains(failed.headers["content-type"], "text/plain"));
  }
  SUBCASE("an oversized body: 413, that connection closes, the server carries on") {
    auto large = Exchange(*http, Post("/cart/u2/items/add", std::string(2000, ' ')));
    CHECK(large.status == 413);
    CHECK(Contains(large.body, "\"code\":8"));
    CHECK(http->ClosedByServer());
    http.emplace(c.Connect());
  }
  // The same connection (or, after a 413, a new one) still serves.
  CHECK(Exchange(*http, Post("/cart/u2/items/add", R"({"productId":"ok","quantity":1})")).status == 200);
  CHECK(Exchange(*http, st::GetRequest("/carts/u2/items")).body == R"([{"productId":"ok","name":"","quantity":1}])");
  CHECK(st::AddItem(*c.grpc_cart, "u3", "tea", 1).ok());
}

TEST_CASE("HTTP calls are recorded in the request metrics with the gRPC code their outcome maps to") {
  Cart c;
  auto http = c.Connect();
  auto scrape = [&] { return st::ParseMetrics(Exchange(http, st::GetRequest("/metrics")).body); };
  auto before = scrape();
  CHECK(Exchange(http, Post("/cart/m/items/add", R"({"productId":"a","quantity":1})")).status == 200);
  CHECK(Exchange(http, Post("/cart/m/items/add", R"({"quantity":"x"})")).status == 400);
  CHECK(Exchange(http, "POST /cart/m/items/b/remove HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").status == 500);
  auto after = scrape();
  auto moved = [&](const std::string& method, const std::string& code) {
    std::string name = "cloudstate_requests_total{service=\"com.example.shoppingcart.ShoppingCart\",method=\"" + method +
                       "\",code=\"" + code + "\"}";
    return after[name] - before[name];
  };
  CHECK(moved("AddItem", "OK") == 1);
  CHECK(moved("AddItem", "INVALID_ARGUMENT") == 1);
  CHECK(moved("RemoveItem", "UNKNOWN") == 1);
}

namespace {

struct Streams {
  Streams() {
    REQUIRE(function.Start());
    auto started = Sidecar::Start(st::TestSidecarOptions(function.port()));
    REQUIRE_MESSAGE(started.ok(), started.status().ToString());
    sidecar = std::move(*started);
    REQUIRE(sidecar->WaitUntilReady(30s).ok());
  }
  ~Streams() { sidecar->Shutdown(5s); }
  st::HttpTestConnection Connect() const {
    auto connection = st::HttpTestConnection::Connect(sidecar->port());
    REQUIRE(connection);
    return std::move(*connection);
  }
  cloudstate::streamtest::StreamedFunction function;
  std::unique_ptr<Sidecar> sidecar;
};

const std::string kExpand = "/cloudstate.streamtest.Streams/Expand";
const std::string kUnary = "/cloudstate.streamtest.Streams/Unary";

}  // namespace

TEST_CASE("a server-streaming action over HTTP: newline-delimited JSON, or server-sent events") {
  Streams s;
  auto http = s.Connect();
  auto lines = Exchange(http, Post(kExpand, R"({"text":"a","count":3,"op":"header"})"));
  CHECK(lines.status == 200);
  CHECK(lines.headers["content-type"] == "application/json");
  CHECK(lines.headers["transfer-encoding"] == "chunked");
  CHECK(lines.headers["x-reply"] == "a-0");  // the first reply's metadata
  CHECK(lines.body == "{\"text\":\"a-0\"}\n{\"text\":\"a-1\"}\n{\"text\":\"a-2\"}\n");

  auto events = Exchange(http, Post(kExpand, R"({"text":"b","count":2})", "Accept: text/event-stream\r\n"));
  CHECK(events.status == 200);
  CHECK(events.headers["content-type"] == "text/event-stream");
  CHECK(events.body == "data: {\"text\":\"b-0\"}\n\ndata: {\"text\":\"b-1\"}\n\n");

  auto none = Exchange(http, Post(kExpand, R"({"text":"c","count":0})"));
  CHECK(none.status == 200);
  CHECK(none.body.empty());

  // A failure after replies went out ends the stream with an error record; before any, a plain 500.
  auto failed_late = Exchange(http, Post(kExpand, R"({"text":"d","count":1,"op":"fail"})"));
  CHECK(failed_late.status == 200);
  CHECK(failed_late.body ==
        "{\"text\":\"d-0\"}\n{\"error\":{\"code\":2,\"httpStatus\":500,\"message\":\"Expand failed at d\"}}\n");
  auto failed_early = Exchange(http, Post(kExpand, R"({"text":"e","count":0,"op":"fail"})"));
  CHECK(failed_early.status == 500);
  CHECK(failed_early.body == "Expand failed at e");
  // The connection carries on.
  CHECK(Exchange(http, Post(kExpand, R"({"text":"f","count":1})")).body == "{\"text\":\"f-0\"}\n");
}

TEST_CASE("request headers reach an action as metadata; reply metadata come back as headers") {
  Streams s;
  auto http = s.Connect();
  auto echoed = Exchange(http, Post(kUnary, R"({"text":"t","op":"client-header"})", "X-Client: from-http\r\n"));
  CHECK(echoed.status == 200);
  // Host, Content-Type and X-Client; Content-Length frames this hop only.
  CHECK(echoed.body == R"({"text":"from-http|3"})");
  auto replied = Exchange(http, Post(kUnary, R"({"text":"v","op":"header"})"));
  CHECK(replied.headers["x-reply"] == "v");
  CHECK(replied.body == R"({"text":"unary:v"})");
  auto failed = Exchange(http, Post(kUnary, R"({"text":"w","op":"fail"})"));
  CHECK(failed.status == 500);
  CHECK(failed.body == "Unary failed at w");
}
