// The HTTP/1.1 request parser wrapper, on strings: requests split anywhere, pipelined requests,
// bodies (Content-Length and chunked), keep-alive rules, limits and malformed input.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "proxy/http/http_request_parser.h"

using cloudstate::proxy::HttpRequest;
using cloudstate::proxy::HttpRequestParser;
using State = HttpRequestParser::State;

namespace {

// Feeds `input` in pieces of `piece` bytes; collects the requests until the input ends or fails.
struct Parsed {
  std::vector<HttpRequest> requests;
  bool failed = false;
  int status = 0;
  std::string message;
};

Parsed Parse(const std::string& input, size_t piece = 1 << 20, size_t max_body = 1024) {
  HttpRequestParser parser(max_body);
  Parsed parsed;
  std::string pending;
  for (size_t at = 0; at < input.size() || !pending.empty();) {
    if (pending.empty()) {
      pending = input.substr(at, piece);
      at += pending.size();
    }
    HttpRequestParser::Step step = parser.Feed(pending.data(), pending.size());
    if (step.state == State::kError) {
      parsed.failed = true;
      parsed.status = parser.error_status();
      parsed.message = parser.error_message();
      return parsed;
    }
    pending.erase(0, step.consumed);
    if (step.state == State::kRequest) parsed.requests.push_back(parser.TakeRequest());
  }
  return parsed;
}

}  // namespace

TEST_CASE("a GET request: method, target, path, query, lower-cased headers, keep-alive") {
  for (size_t piece : {size_t{1}, size_t{3}, size_t{1 << 20}}) {
    CAPTURE(piece);
    Parsed parsed = Parse("GET /metrics?name=x HTTP/1.1\r\nHost: localhost\r\nX-Thing:  spaced  \r\n\r\n", piece);
    REQUIRE_FALSE(parsed.failed);
    REQUIRE(parsed.requests.size() == 1);
    const HttpRequest& request = parsed.requests[0];
    CHECK(request.method == "GET");
    CHECK(request.target == "/metrics?name=x");
    CHECK(request.path == "/metrics");
    CHECK(request.query == "name=x");
    CHECK(request.version_minor == 1);
    CHECK(request.keep_alive);
    REQUIRE(request.Header("x-thing") != nullptr);
    CHECK(*request.Header("x-thing") == "spaced");
    CHECK(*request.Header("host") == "localhost");
    CHECK(request.Header("missing") == nullptr);
  }
}

TEST_CASE("pipelined requests come out one at a time, in order") {
  std::string input = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
                      "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
                      "GET /c HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
  for (size_t piece : {size_t{1}, size_t{7}, input.size()}) {
    CAPTURE(piece);
    Parsed parsed = Parse(input, piece);
    REQUIRE_FALSE(parsed.failed);
    REQUIRE(parsed.requests.size() == 3);
    CHECK(parsed.requests[0].path == "/a");
    CHECK(parsed.requests[1].method == "POST");
    CHECK(parsed.requests[1].body == "hello");
    CHECK(parsed.requests[2].path == "/c");
    CHECK_FALSE(parsed.requests[2].keep_alive);
  }
}

TEST_CASE("a complete request stops the parser before the next one") {
  HttpRequestParser parser(1024);
  std::string two = "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n";
  HttpRequestParser::Step first = parser.Feed(two.data(), two.size());
  CHECK(first.state == State::kRequest);
  CHECK(first.consumed == two.size() / 2);
  CHECK(parser.TakeRequest().path == "/a");
  HttpRequestParser::Step second = parser.Feed(two.data() + first.consumed, two.size() - first.consumed);
  CHECK(second.state == State::kRequest);
  CHECK(parser.TakeRequest().path == "/b");
}

TEST_CASE("a chunked body is joined") {
  Parsed parsed = Parse("POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", 2);
  REQUIRE_FALSE(parsed.failed);
  REQUIRE(parsed.requests.size() == 1);
  CHECK(parsed.requests[0].body == "abcde");
}

TEST_CASE("HTTP/1.0 closes unless it asks to keep alive") {
  Parsed closing = Parse("GET / HTTP/1.0\r\n\r\n");
  REQUIRE(closing.requests.size() == 1);
  CHECK_FALSE(closing.requests[0].keep_alive);
  Parsed kept = Parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  REQUIRE(kept.requests.size() == 1);
  CHECK(kept.requests[0].keep_alive);
  CHECK(kept.requests[0].version_minor == 0);
}

TEST_CASE("a body over the limit is refused with 413, by its Content-Length or as it arrives") {
  Parsed declared = Parse("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 2000\r\n\r\n", 1 << 20, 1000);
  CHECK(declared.failed);
  CHECK(declared.status == 413);
  CHECK(declared.message.find("2000 bytes") != std::string::npos);
  std::string chunked = "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) chunked += "190\r\n" + std::string(400, 'x') + "\r\n";
  Parsed streamed = Parse(chunked + "0\r\n\r\n", 100, 1000);
  CHECK(streamed.failed);
  CHECK(streamed.status == 413);
  Parsed at_limit = Parse("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nabcd", 1 << 20, 4);
  CHECK_FALSE(at_limit.failed);
}

TEST_CASE("malformed input is refused with 400 and a reason") {
  for (const char* input : {"NOT HTTP AT ALL\r\n\r\n", "GET / HTTP/1.1\r\nHost: h\r\nNo colon here\r\n\r\n",
                            "GET / HTTP/9.x\r\n\r\n", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: x\r\n\r\n",
                            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
                            "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"}) {
    CAPTURE(input);
    Parsed parsed = Parse(input);
    CHECK(parsed.failed);
    CHECK(parsed.status == 400);
    CHECK(parsed.message.find("malformed HTTP request") == 0);
  }
}

TEST_CASE("requests an origin server cannot take are refused with 400") {
  Parsed no_host = Parse("GET / HTTP/1.1\r\n\r\n");
  CHECK(no_host.status == 400);
  CHECK(no_host.message.find("Host") != std::string::npos);
  Parsed absolute = Parse("GET http://elsewhere/ HTTP/1.1\r\nHost: h\r\n\r\n");
  CHECK(absolute.status == 400);
  Parsed connect = Parse("CONNECT elsewhere:443 HTTP/1.1\r\nHost: h\r\n\r\n");
  CHECK(connect.status == 400);
}

TEST_CASE("oversized headers are refused with 431") {
  Parsed parsed = Parse("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(100 * 1024, 'a') + "\r\n\r\n", 4096);
  CHECK(parsed.failed);
  CHECK(parsed.status == 431);
}

TEST_CASE("after an error the parser stays failed") {
  HttpRequestParser parser(1024);
  std::string bad = "BAD\r\n\r\n";
  CHECK(parser.Feed(bad.data(), bad.size()).state == State::kError);
  std::string good = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
  CHECK(parser.Feed(good.data(), good.size()).state == State::kError);
}

TEST_CASE("a request that expects 100-continue pauses after its head, then reads its body") {
  for (size_t piece : {size_t{1}, size_t{7}, size_t{1 << 20}}) {
    CAPTURE(piece);
    const std::string input =
        "POST /a HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\nhi"
        "GET /b HTTP/1.1\r\nHost: h\r\n\r\n";
    HttpRequestParser parser(1024);
    std::vector<State> states;
    std::vector<HttpRequest> requests;
    size_t at = 0;
    std::string pending;
    while (at < input.size() || !pending.empty()) {
      if (pending.empty()) {
        pending = input.substr(at, piece);
        at += pending.size();
      }
      HttpRequestParser::Step step = parser.Feed(pending.data(), pending.size());
      REQUIRE(step.state != State::kError);
      pending.erase(0, step.consumed);
      if (step.state == State::kExpectContinue) {
        CHECK(parser.head().path == "/a");
        CHECK(parser.head().body.empty());
      }
      if (step.state != State::kNeedMore) states.push_back(step.state);
      if (step.state == State::kRequest) requests.push_back(parser.TakeRequest());
    }
    CHECK(states == std::vector<State>{State::kExpectContinue, State::kRequest, State::kRequest});
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].body == "hi");
    CHECK(requests[1].path == "/b");
  }
  // Nothing to wait for: no body, or an HTTP/1.0 client (RFC 9110 says to ignore it then).
  for (const char* input : {"POST /a HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n",
                            "POST /a HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx"}) {
    HttpRequestParser parser(1024);
    std::string bytes = input;
    CHECK(parser.Feed(bytes.data(), bytes.size()).state == State::kRequest);
  }
  // Too large by its Content-Length: refused before the body, as without the expectation.
  Parsed large = Parse("POST /a HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n");
  CHECK(large.status == 413);
}
