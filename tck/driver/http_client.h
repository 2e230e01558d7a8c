// A small HTTP/1.1 client for the cases that call the proxy over HTTP/JSON: one request per
// connection ("Connection: close").
#pragma once

#include <chrono>
#include <string>

#include "cloudstate/status.h"

namespace cloudstate::tck {

struct HttpResponse {
  int status = 0;
  std::string content_type;  // as sent, parameters included
  std::string body;
};

// POST with `body` as application/json, or GET when `body` is empty. Unavailable when the proxy
// cannot be reached or answers something that is not HTTP; DeadlineExceeded after `timeout`.
Result<HttpResponse> HttpCall(const std::string& host, int port, const std::string& path, const std::string& body,
                              std::chrono::milliseconds timeout);

}  // namespace cloudstate::tck
