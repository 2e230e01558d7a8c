// The HTTP/1.1 request and response as the sidecar's HTTP handlers see them: a parsed request with
// its whole body, and a response the server frames (status line, Content-Length, Connection).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cloudstate::proxy {

struct HttpRequest {
  std::string method;  // "GET", "POST", ... as http_parser names them
  std::string target;  // as sent: path and query
  std::string path;    // the target up to '?', not percent-decoded
  std::string query;   // after '?', not decoded; empty without one
  int version_major = 1;
  int version_minor = 1;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in arrival order
  std::string body;
  bool keep_alive = true;  // the client lets the connection stay open after this request

  // The first value of the header `lower_case_name`, or nullptr.
  const std::string* Header(std::string_view lower_case_name) const;
};

struct HttpResponse {
  int status = 200;
  // Besides Content-Length and Connection, which the server sets.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // A response with a text/plain body.
  static HttpResponse Text(int status, std::string body);
};

// Hands the response of one request to the server; callable from any thread, once.
using HttpRespond = std::function<void(HttpResponse)>;

// "OK", "Not Found", ...; "Unknown" for a code without a standard phrase.
const char* HttpReasonPhrase(int status);

// The bytes of `response` on the wire: status line, headers, Content-Length, Connection when it
// differs from the version's default, and the body unless `head_only` (a HEAD request).
std::string SerializeHttpResponse(const HttpResponse& response, const HttpRequest& request, bool keep_alive,
                                  bool head_only);

}  // namespace cloudstate::proxy
