// CRDT subscriptions over HTTP/JSON, end to end over real sockets: the CRDT model function on our
// function server, the sidecar in-process, and Watch (a server-streaming entity method) called at
// its default binding, POST /fncrdt.CrdtModel/Watch. Each message the entity streams is one NDJSON
// line or SSE event while other clients change the CRDT over HTTP and gRPC; the stream's end ends
// the response; a client that disconnects runs the function's cancel handler; a failure mid-stream
// ends the response with an error record.
#include <doctest/doctest.h>

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <string>
#include <vector>

#include "crdt_sidecar_harness.h"
#include "http_test_client.h"

namespace st = cloudstate::sidecartest;
using namespace std::chrono_literals;

namespace {

const std::string kWatch = "/fncrdt.CrdtModel/Watch";
const std::string kApply = "/fncrdt.CrdtModel/Apply";

std::string Post(const std::string& path, const std::string& body, const std::string& extra_headers = "") {
  return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
}

// The CRDT harness, reached over HTTP as well.
struct Harness : crdt_sidecar::Harness {
  ~Harness() { sidecar->Shutdown(5s); }

  st::HttpTestConnection Connect() const {
    auto connection = st::HttpTestConnection::Connect(sidecar->port());
    REQUIRE(connection);
    return std::move(*connection);
  }

  // Apply over HTTP on a connection of its own: the response body.
  std::string Apply(const std::string& request_json) {
    auto http = Connect();
    REQUIRE(http.Send(Post(kApply, request_json)));
    auto response = http.Read();
    REQUIRE(response);
    return response->body;
  }

  // Apply over gRPC: the rendered state.
  std::string ApplyOverGrpc(const std::string& id, const std::string& op, const std::string& arg = "") {
    return crdt_sidecar::Harness::Apply(crdt_sidecar::Request(id, op, arg));
  }
};

// Opens a subscription over HTTP and checks its head.
st::HttpTestConnection Subscribe(Harness& h, const std::string& request_json, const std::string& headers = "") {
  auto http = h.Connect();
  REQUIRE(http.Send(Post(kWatch, request_json, headers)));
  auto head = http.ReadHead();
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->headers["transfer-encoding"] == "chunked");
  return http;
}

}  // namespace

TEST_CASE("a CRDT subscription over HTTP: one NDJSON line per message, changes over HTTP and gRPC, then its end") {
  Harness h;
  CHECK(h.Apply(R"({"id":"gcounter-h","op":"inc","arg":"1"})") == R"({"text":"1"})");
  auto watch = Subscribe(h, R"({"id":"gcounter-h","op":"get","endAt":"6"})");
  CHECK(watch.ReadBodyUntil("\n") == "{\"text\":\"1\"}\n");  // the reply: the current state

  CHECK(h.Apply(R"({"id":"gcounter-h","op":"inc","arg":"2"})") == R"({"text":"3"})");
  CHECK(watch.ReadBodyUntil("\n") == "{\"text\":\"3\"}\n");
  CHECK(h.ApplyOverGrpc("gcounter-h", "inc", "3") == "6");
  CHECK(watch.ReadBodyUntil("\n") == "{\"text\":\"6\"}\n");
  // "6" was the end the subscriber asked for: the entity ends the stream, and the response ends.
  CHECK_FALSE(watch.ReadBodyUntil("\n"));
  CHECK(watch.BodyEnded());
  CHECK(watch.Rest().empty());

  // The connection carries on, and so does the entity.
  REQUIRE(watch.Send(Post(kApply, R"({"id":"gcounter-h","op":"get"})")));
  auto after = watch.Read();
  REQUIRE(after);
  CHECK(after->body == R"({"text":"6"})");
}

TEST_CASE("a CRDT subscription as server-sent events") {
  Harness h;
  auto watch = Subscribe(h, R"({"id":"orset-sse","op":"get"})", "Accept: text/event-stream\r\n");
  CHECK(watch.ReadBodyUntil("\n\n") == "data: {\"text\":\"\"}\n\n");
  CHECK(h.ApplyOverGrpc("orset-sse", "add", "a") == "a");
  CHECK(watch.ReadBodyUntil("\n\n") == "data: {\"text\":\"a\"}\n\n");
  // A delete ends the entity's open streams: the response ends, without an error.
  CHECK(h.Apply(R"({"id":"orset-sse","op":"delete"})") == R"({"text":""})");
  CHECK_FALSE(watch.ReadBodyUntil("\n\n"));
  CHECK(watch.BodyEnded());
  CHECK(watch.Rest().empty());
}

TEST_CASE("a subscriber that disconnects over HTTP runs the function's cancel handler at once") {
  Harness h;
  CHECK(h.ApplyOverGrpc("vote-http", "vote") == "yes 1/1");
  // A gRPC subscriber sees the vote withdrawn when the HTTP subscriber goes away.
  grpc::ClientContext observer_context;
  observer_context.set_deadline(std::chrono::system_clock::now() + 20s);
  fncrdt::Request observe;
  observe.set_id("vote-http");
  observe.set_op("get");
  observe.set_end_at("no 0/1");
  auto observer = h.model->Watch(&observer_context, observe);
  fncrdt::State state;
  REQUIRE(observer->Read(&state));
  CHECK(state.text() == "yes 1/1");

  auto leaving = Subscribe(h, R"({"id":"vote-http","op":"get"})");
  CHECK(leaving.ReadBodyUntil("\n") == "{\"text\":\"yes 1/1\"}\n");
  // Nothing more is streamed to it; only the sidecar reading the connection can notice the close.
  leaving.Close();

  std::vector<std::string> seen;
  while (observer->Read(&state)) seen.push_back(state.text());
  grpc::Status status = observer->Finish();
  CHECK_MESSAGE(status.ok(), status.error_message());
  CHECK(seen == std::vector<std::string>{"no 0/1"});
  CHECK(h.ApplyOverGrpc("vote-http", "get") == "no 0/1");
}

TEST_CASE("a failure mid-stream ends the response with an error record; before any message, as a unary call") {
  Harness h;
  CHECK(h.Apply(R"({"id":"gcounter-gone","op":"inc","arg":"2"})") == R"({"text":"2"})");
  auto watch = Subscribe(h, R"({"id":"gcounter-gone","op":"get"})");
  CHECK(watch.ReadBodyUntil("\n") == "{\"text\":\"2\"}\n");
  h.function.reset();  // its server cancels the entity's stream after its grace period
  CHECK(watch.ReadBodyUntil("\n") ==
        "{\"error\":{\"code\":2,\"httpStatus\":500,\"message\":\"Entity terminating\"}}\n");
  CHECK_FALSE(watch.ReadBodyUntil("\n"));
  CHECK(watch.BodyEnded());
}

TEST_CASE("a subscription the function refuses is answered as a unary call would be") {
  Harness h;
  auto http = h.Connect();
  REQUIRE(http.Send(Post(kWatch, R"({"id":"gcounter-f","op":"fail"})")));
  auto refused = http.Read();
  REQUIRE(refused);
  CHECK(refused->status == 500);
  CHECK(refused->body == "asked to fail");
  REQUIRE(http.Send(Post(kWatch, R"({"id":"","op":"get"})")));
  auto no_key = http.Read();
  REQUIRE(no_key);
  CHECK(no_key->status == 400);
}

TEST_CASE("shutdown with a subscription open closes it after the grace period") {
  Harness h;
  auto watch = Subscribe(h, R"({"id":"gcounter-s","op":"get"})");
  CHECK(watch.ReadBodyUntil("\n") == "{\"text\":\"\"}\n");
  h.sidecar->Shutdown(300ms);
  CHECK_FALSE(watch.ReadBodyUntil("\n"));
  CHECK_FALSE(watch.BodyEnded());  // cut short: the connection closed
}
