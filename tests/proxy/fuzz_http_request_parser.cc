// Fuzz target: arbitrary bytes of an HTTP/1.1 connection through the request parser, fed in pieces
// whose sizes the input's first byte chooses (so requests and headers split at every place a socket
// may split them). Besides not crashing, it checks what the connection relies on: the parser never
// claims bytes it was not given, a request's body respects the limit, an error is 400, 413 or 431
// with a reason, and every request it yields frames as a response.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "proxy/http/http_message.h"
#include "proxy/http/http_request_parser.h"

namespace {

constexpr size_t kMaxBody = 1024;

void Require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

void Check(const cloudstate::proxy::HttpRequest& request) {
  Require(request.body.size() <= kMaxBody, "a body over the limit is refused");
  Require(!request.target.empty(), "a request has a target");
  Require(request.target.compare(0, request.path.size(), request.path) == 0, "the path starts the target");
  for (const auto& [name, value] : request.headers) {
    for (char c : name) Require(!(c >= 'A' && c <= 'Z'), "header names are lower-cased");
  }
  cloudstate::proxy::HttpResponse response = cloudstate::proxy::HttpResponse::JsonError(400, 3, request.target);
  std::string bytes = cloudstate::proxy::SerializeHttpResponse(response, request, request.keep_alive, false);
  Require(bytes.rfind("HTTP/1.1 400 ", 0) == 0, "a response starts with its status line");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = 1 + data[0] % 64;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  cloudstate::proxy::HttpRequestParser parser(kMaxBody);
  std::string buffer;  // what a connection has read and not yet parsed
  while (!input.empty() || !buffer.empty()) {
    size_t take = std::min(piece, input.size());
    buffer.append(input.substr(0, take));
    input.remove_prefix(take);
    size_t parsed = 0;
    for (;;) {
      auto step = parser.Feed(buffer.data() + parsed, buffer.size() - parsed);
      Require(step.consumed <= buffer.size() - parsed, "the parser consumes only what it was given");
      Require(step.consumed > 0 || step.state != cloudstate::proxy::HttpRequestParser::State::kRequest,
              "a request ends on a byte it consumed");
      parsed += step.consumed;
      if (step.state == cloudstate::proxy::HttpRequestParser::State::kError) {
        int status = parser.error_status();
        Require(status == 400 || status == 413 || status == 431, "an error is 400, 413 or 431");
        Require(!parser.error_message().empty(), "an error says why");
        return 0;
      }
      if (step.state == cloudstate::proxy::HttpRequestParser::State::kNeedMore) {
        Require(parsed == buffer.size(), "needing more means everything was consumed");
        break;
      }
      if (step.state == cloudstate::proxy::HttpRequestParser::State::kExpectContinue) {
        Require(parser.head().body.empty(), "a request that expects 100-continue pauses before its body");
      } else {
        Check(parser.TakeRequest());
      }
      if (parsed == buffer.size()) break;
    }
    buffer.clear();
    if (take == 0) break;  // nothing more to feed
  }
  return 0;
}
