// The pure parts of the HTTP front: routing (404/405/HEAD), response framing, and telling HTTP/2
// from HTTP/1.1 by a connection's first bytes.
#include <doctest/doctest.h>

#include "proxy/http/http_message.h"
#include "proxy/http/http_router.h"
#include "proxy/http/wire_protocol.h"

using namespace cloudstate::proxy;

namespace {

HttpRequest Request(std::string method, std::string path) {
  HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.target = request.path;
  return request;
}

}  // namespace

TEST_CASE("the router takes its paths, refuses other methods and ignores other paths") {
  HttpRouter router;
  int calls = 0;
  router.Add("GET", "/live", [&](const HttpRequest&, const HttpRespond& respond) {
    ++calls;
    respond(HttpResponse::Text(200, "live\n"));
  });
  router.Add("POST", "/live", [&](const HttpRequest&, const HttpRespond&) {});
  int responses = 0;
  HttpRespond respond = [&](HttpResponse) { ++responses; };

  CHECK(router.Dispatch(Request("GET", "/live"), respond).outcome == HttpDispatch::kTaken);
  CHECK(router.Dispatch(Request("HEAD", "/live"), respond).outcome == HttpDispatch::kTaken);
  CHECK(calls == 2);
  CHECK(responses == 2);
  HttpDispatch wrong = router.Dispatch(Request("DELETE", "/live"), respond);
  CHECK(wrong.outcome == HttpDispatch::kWrongMethod);
  CHECK(wrong.allowed == std::vector<std::string>{"GET", "HEAD", "POST"});
  CHECK(router.Dispatch(Request("GET", "/other"), respond).outcome == HttpDispatch::kNoSuchPath);
  CHECK(responses == 2);
}

TEST_CASE("responses carry Content-Length, and Connection only where it differs from the default") {
  HttpResponse response = HttpResponse::Text(404, "none\n");
  HttpRequest http11 = Request("GET", "/");
  CHECK(SerializeHttpResponse(response, http11, true, false) ==
        "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n\r\nnone\n");
  CHECK(SerializeHttpResponse(response, http11, false, true) ==
        "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n"
        "Connection: close\r\n\r\n");
  HttpRequest http10 = http11;
  http10.version_minor = 0;
  HttpResponse empty;
  empty.status = 204;
  CHECK(SerializeHttpResponse(empty, http10, true, false) ==
        "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n");
}

TEST_CASE("the HTTP/2 preface is told from HTTP/1.1 as soon as the bytes allow") {
  CHECK(SniffWireProtocol("") == WireProtocol::kUndecided);
  CHECK(SniffWireProtocol("PRI * HTTP/2") == WireProtocol::kUndecided);
  CHECK(SniffWireProtocol(kHttp2Preface) == WireProtocol::kHttp2);
  CHECK(SniffWireProtocol(std::string(kHttp2Preface) + "\x00\x00\x12\x04") == WireProtocol::kHttp2);
  CHECK(SniffWireProtocol("P") == WireProtocol::kUndecided);
  CHECK(SniffWireProtocol("POST / HTTP/1.1\r\n") == WireProtocol::kHttp1);
  CHECK(SniffWireProtocol("GET") == WireProtocol::kHttp1);
  CHECK(SniffWireProtocol("PRI * HTTP/1.1") == WireProtocol::kHttp1);
}

TEST_CASE("a streamed response is chunked for HTTP/1.1 and unframed for HTTP/1.0") {
  HttpResponse response;
  response.headers.emplace_back("Content-Type", "application/json");
  response.body = "{\"a\":1}\n";
  response.stream = [](std::shared_ptr<HttpChunkSink>) {};
  HttpRequest request = Request("POST", "/s");
  CHECK(SerializeHttpResponse(response, request, true, false) ==
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n{\"a\":1}\n\r\n");
  CHECK(FrameChunk("0123456789abcdef!", request) == "11\r\n0123456789abcdef!\r\n");
  CHECK(FrameChunk("", request) == "0\r\n\r\n");
  request.version_minor = 0;
  CHECK(SerializeHttpResponse(response, request, false, false) ==
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"a\":1}\n");
  CHECK(FrameChunk("piece", request) == "piece");
  CHECK(FrameChunk("", request).empty());
}

TEST_CASE("errors the sidecar raises itself are JSON with the gRPC code and an escaped message") {
  HttpResponse error = HttpResponse::JsonError(400, 3, "bad \"x\"\\\n\x01");
  CHECK(error.status == 400);
  CHECK(error.headers == std::vector<std::pair<std::string, std::string>>{{"Content-Type", "application/json"}});
  CHECK(error.body == R"({"code":3,"message":"bad \"x\"\\\u000a\u0001"})");
}

TEST_CASE("the router admits a request from its head as it would dispatch it, without calling a handler") {
  HttpRouter router;
  int calls = 0;
  router.Add("POST", "/upload", [&](const HttpRequest&, const HttpRespond&) { ++calls; });
  router.Add("GET", "/live", [&](const HttpRequest&, const HttpRespond&) { ++calls; });
  CHECK(router.Admit(Request("POST", "/upload")).outcome == HttpDispatch::kTaken);
  CHECK(router.Admit(Request("HEAD", "/live")).outcome == HttpDispatch::kTaken);
  HttpDispatch wrong = router.Admit(Request("PUT", "/upload"));
  CHECK(wrong.outcome == HttpDispatch::kWrongMethod);
  CHECK(wrong.allowed == std::vector<std::string>{"POST"});
  CHECK(router.Admit(Request("POST", "/other")).outcome == HttpDispatch::kNoSuchPath);
  CHECK(calls == 0);
}
