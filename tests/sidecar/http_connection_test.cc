// The HTTP/1.1 connection over real sockets, with services written for the test: a client that
// goes away while a response is prepared or a stream waits is noticed at once (the request's
// HttpCancellation fires), one that only shuts down its sending side still gets its answer; HEAD
// on a streamed route gets the head alone and stops the producer; `Expect: 100-continue` is
// answered before the body is read, with "100 Continue" or the final refusal.
#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <unistd.h>

#include "http_test_client.h"
#include "proxy/http/http_router.h"
#include "proxy/http/http_server.h"
#include "proxy/http/io_thread.h"
#include "proxy/http/port_listener.h"

namespace st = cloudstate::sidecartest;
using namespace cloudstate::proxy;
using namespace std::chrono_literals;

namespace {

// What the routes below hold on to: the respond of /held, the sink of /stream, whether the
// request's cancellation fired. Safe to use from any thread; waits give up after 10 s.
class Held {
 public:
  void Take(const HttpRequest& request, HttpRespond respond) {
    std::lock_guard lock(mu_);
    respond_ = std::move(respond);
    request.cancellation->OnCancel([this] {
      std::lock_guard lock(mu_);
      cancelled_ = true;
      changed_.notify_all();
    });
    taken_ = true;
    changed_.notify_all();
  }
  void Opened(std::shared_ptr<HttpChunkSink> sink) {
    std::lock_guard lock(mu_);
    sink_ = std::move(sink);
    changed_.notify_all();
  }
  bool WaitTaken() { return Wait([this] { return taken_; }); }
  bool WaitOpened() { return Wait([this] { return sink_ != nullptr; }); }
  bool WaitCancelled() { return Wait([this] { return cancelled_; }); }
  bool cancelled() {
    std::lock_guard lock(mu_);
    return cancelled_;
  }
  void Respond(HttpResponse response) {
    std::lock_guard lock(mu_);
    respond_(std::move(response));
  }
  std::shared_ptr<HttpChunkSink> sink() {
    std::lock_guard lock(mu_);
    return sink_;
  }

 private:
  template <typename Condition>
  bool Wait(Condition condition) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, 10s, condition);
  }
  std::mutex mu_;
  std::condition_variable changed_;
  HttpRespond respond_;
  std::shared_ptr<HttpChunkSink> sink_;
  bool taken_ = false;
  bool cancelled_ = false;
};

// An HTTP server on a port of its own with the test's routes:
//   GET  /held    answered when the test says (Held::Respond)
//   GET  /stream  a streamed response whose first piece is "first\n"; the test writes the rest
//   POST /echo    the request body
struct Server {
  Server() {
    router.Add("GET", "/held", [this](const HttpRequest& request, const HttpRespond& respond) {
      held.Take(request, respond);
    });
    router.Add("GET", "/stream", [this](const HttpRequest& request, const HttpRespond& respond) {
      held.Take(request, respond);
      HttpResponse head = HttpResponse::Text(200, "first\n");
      head.stream = [this](std::shared_ptr<HttpChunkSink> sink) { held.Opened(std::move(sink)); };
      respond(std::move(head));
    });
    router.Add("POST", "/echo", [](const HttpRequest& request, const HttpRespond& respond) {
      respond(HttpResponse::Text(200, request.body));
    });
    HttpConnectionLimits limits;
    limits.max_body_bytes = 1000;
    http = std::make_unique<HttpServer>(io.context(), std::vector<HttpService*>{&router}, limits);
    PortHandlers handlers;
    handlers.http2 = [](int, int fd, std::string) { ::close(fd); };
    handlers.http1 = [this](asio::ip::tcp::socket socket, std::string first_bytes) {
      http->Serve(std::move(socket), std::move(first_bytes));
    };
    auto opened = PortListener::Open(io, "127.0.0.1", 0, std::move(handlers), 10s);
    REQUIRE(opened.ok());
    listener = std::move(*opened);
  }
  ~Server() {
    listener->StopAccepting();
    http->Shutdown(std::chrono::steady_clock::now() + 2s);
    io.Stop();
  }
  st::HttpTestConnection Connect() const {
    auto connection = st::HttpTestConnection::Connect(listener->port());
    REQUIRE(connection);
    return std::move(*connection);
  }

  Held held;
  HttpRouter router;
  IoThread io;
  std::unique_ptr<HttpServer> http;
  std::unique_ptr<PortListener> listener;
};

// Writes `piece` through the sink and waits until it is out; false when the connection is gone.
bool WriteAndWait(HttpChunkSink& sink, std::string piece) {
  auto written = std::make_shared<std::promise<bool>>();
  sink.Write(std::move(piece), [written](bool ok) { written->set_value(ok); });
  auto result = written->get_future();
  return result.wait_for(10s) == std::future_status::ready && result.get();
}

const std::string kExpectEcho =
    "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n";

}  // namespace

TEST_CASE("a client that goes away while its stream waits for the next piece is noticed at once") {
  Server s;
  auto http = s.Connect();
  REQUIRE(http.Send(st::GetRequest("/stream")));
  auto head = http.ReadHead();
  REQUIRE(head);
  CHECK(head->headers["transfer-encoding"] == "chunked");
  CHECK(http.ReadBodyUntil("\n") == "first\n");
  REQUIRE(s.held.WaitOpened());
  REQUIRE(WriteAndWait(*s.held.sink(), "second\n"));
  CHECK(http.ReadBodyUntil("\n") == "second\n");
  CHECK_FALSE(s.held.cancelled());

  http.Close();  // nothing is being written: only the connection's reading can tell
  CHECK(s.held.WaitCancelled());
  s.held.sink()->End();
}

TEST_CASE("a client that goes away before its answer is ready is noticed at once") {
  Server s;
  auto http = s.Connect();
  REQUIRE(http.Send(st::GetRequest("/held")));
  REQUIRE(s.held.WaitTaken());
  http.Close();
  CHECK(s.held.WaitCancelled());
  s.held.Respond(HttpResponse::Text(200, "too late\n"));  // dropped
  auto next = st::HttpGet(s.listener->port(), "/none");  // the server carries on
  REQUIRE(next);
  CHECK(next->status == 404);
}

TEST_CASE("a client that only shuts down its sending side still gets its answer, then the connection closes") {
  Server s;
  auto http = s.Connect();
  REQUIRE(http.Send(st::GetRequest("/held")));
  REQUIRE(s.held.WaitTaken());
  http.ShutdownWrite();
  CHECK(s.held.WaitCancelled());  // a stream would stop here; this answer is still wanted
  s.held.Respond(HttpResponse::Text(200, "answer\n"));
  auto response = http.Read();
  REQUIRE(response);
  CHECK(response->body == "answer\n");
  CHECK_FALSE(response->keep_alive);
  CHECK(http.ClosedByServer());
}

TEST_CASE("HEAD on a streamed route: the head alone, the producer told to stop, the connection kept") {
  Server s;
  auto http = s.Connect();
  REQUIRE(http.Send("HEAD /stream HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto head = http.Read(true);
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->headers["transfer-encoding"] == "chunked");
  CHECK(head->body.empty());
  CHECK(s.held.WaitCancelled());
  // The next request on the same connection is read as a request, not as body bytes.
  REQUIRE(http.Send(kExpectEcho.substr(0, kExpectEcho.find("Expect")) + "Content-Length: 2\r\n\r\nok"));
  auto echoed = http.Read();
  REQUIRE(echoed);
  CHECK(echoed->body == "ok");
  CHECK(s.held.sink() == nullptr);  // the producer never got a sink: nothing of the body is wanted
}

TEST_CASE("Expect: 100-continue gets 100 Continue before the body, or the final refusal at once") {
  Server s;
  auto http = s.Connect();
  SUBCASE("admitted: 100, then the answer, and the connection goes on") {
    REQUIRE(http.Send(kExpectEcho));
    auto go_on = http.Read();
    REQUIRE(go_on);
    CHECK(go_on->status == 100);
    REQUIRE(http.Send("hello"));
    auto echoed = http.Read();
    REQUIRE(echoed);
    CHECK(echoed->status == 200);
    CHECK(echoed->body == "hello");
    CHECK(echoed->keep_alive);
    REQUIRE(http.Send(kExpectEcho + "again"));  // the client need not wait for the 100
    CHECK(http.Read()->status == 100);
    CHECK(http.Read()->body == "again");
  }
  SUBCASE("an unknown path: 404 at once, and the connection closes") {
    std::string request = kExpectEcho;
    request.replace(request.find("/echo"), 5, "/none");
    REQUIRE(http.Send(request));
    auto refused = http.Read();
    REQUIRE(refused);
    CHECK(refused->status == 404);
    CHECK_FALSE(refused->keep_alive);
    CHECK(http.ClosedByServer());
  }
  SUBCASE("a method the path does not take: 405 with Allow") {
    std::string request = kExpectEcho;
    request.replace(0, 4, "PUT");
    REQUIRE(http.Send(request));
    auto refused = http.Read();
    REQUIRE(refused);
    CHECK(refused->status == 405);
    CHECK(refused->headers["allow"] == "POST");
  }
  SUBCASE("a body over the limit by its Content-Length: 413 at once") {
    std::string request = kExpectEcho;
    request.replace(request.find("Content-Length: 5"), 17, "Content-Length: 5000");
    REQUIRE(http.Send(request));
    auto refused = http.Read();
    REQUIRE(refused);
    CHECK(refused->status == 413);
    CHECK_FALSE(refused->keep_alive);
  }
}
