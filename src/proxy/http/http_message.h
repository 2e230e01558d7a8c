// The HTTP/1.1 request and response as the sidecar's HTTP handlers see them: a parsed request with
// its whole body, and a response the server frames (status line, Content-Length or chunked,
// Connection).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "proxy/http/http_cancellation.h"

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
  // Set by the connection on each request it dispatches: keep a copy to hear when the client stops
  // waiting for the response (http_cancellation.h).
  std::shared_ptr<HttpCancellation> cancellation;

  // The first value of the header `lower_case_name`, or nullptr.
  const std::string* Header(std::string_view lower_case_name) const;
};

// The rest of a streamed response body, sent as it is produced. Safe to call from any thread.
class HttpChunkSink {
 public:
  virtual ~HttpChunkSink() = default;
  // Sends `chunk`; `done(true)` once it is written, `done(false)` when the connection is gone (then
  // stop producing). One write at a time: the next after `done`.
  virtual void Write(std::string chunk, std::function<void(bool ok)> done) = 0;
  // Ends the body; the connection goes on with its next request. Once, after the last `done`.
  virtual void End() = 0;
  // Instead of End: closes the connection, so the client sees the body cut short (for bodies with
  // no in-band way to say they failed).
  virtual void Abort() = 0;
};

struct HttpResponse {
  int status = 200;
  // Besides Content-Length (or Transfer-Encoding) and Connection, which the server sets.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Set for a body produced over time (chunked transfer encoding; for an HTTP/1.0 client, the body
  // runs until the connection closes): `body` is its first piece, and once the head and that piece
  // are written the server hands `stream` the sink for the rest, on its I/O thread.
  std::function<void(std::shared_ptr<HttpChunkSink>)> stream;

  // A response with a text/plain body.
  static HttpResponse Text(int status, std::string body);
  // An error the sidecar raises itself: {"code":<gRPC status code>,"message":"..."} as JSON.
  static HttpResponse JsonError(int status, int grpc_code, std::string_view message);
};

// Hands the response of one request to the server; callable from any thread, once.
using HttpRespond = std::function<void(HttpResponse)>;

// "OK", "Not Found", ...; "Unknown" for a code without a standard phrase.
const char* HttpReasonPhrase(int status);

// The bytes of `response` on the wire: status line, headers, Content-Length, Connection when it
// differs from the version's default, and the body unless `head_only` (a HEAD request). A streamed
// response gets Transfer-Encoding: chunked (HTTP/1.1) and its body as the first chunk.
std::string SerializeHttpResponse(const HttpResponse& response, const HttpRequest& request, bool keep_alive,
                                  bool head_only);

// One piece of a streamed body as sent to `request`'s client: a chunk for HTTP/1.1 (the empty piece
// is the last chunk), the bytes as they are for HTTP/1.0.
std::string FrameChunk(std::string_view piece, const HttpRequest& request);

// Whether a response to `request` is streamed with chunked transfer encoding (HTTP/1.1 and later).
bool ChunkedFor(const HttpRequest& request);

}  // namespace cloudstate::proxy
