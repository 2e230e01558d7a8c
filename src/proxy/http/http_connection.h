// One HTTP/1.1 connection: reads requests (keep-alive, pipelined ones answered in order, one at a
// time), hands each to the first HttpService that takes it, writes the responses, streamed ones
// chunk by chunk. Malformed input gets its 400/413/431 and the connection closes after it; 404 and
// 405 keep it open. Errors are JSON ({"code","message"}, HttpResponse::JsonError).
// While a request is answered the connection reads on, so that a client that goes away is noticed
// at once and the request's HttpCancellation fires; after an orderly end of input (the client may
// have shut down only its sending side) the response still goes out, then the connection closes.
// `Expect: 100-continue` is answered before the body is read: "100 Continue" when a service admits
// the request, else its final 404/405/413 at once (and the connection closes, since the body may
// follow regardless). Lives on the I/O thread: every member function runs there.
#pragma once

#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "proxy/http/http_message.h"
#include "proxy/http/http_request_parser.h"
#include "proxy/http/http_service.h"

namespace cloudstate::proxy {

struct HttpConnectionLimits {
  size_t max_body_bytes = 4 * 1024 * 1024;
  // A connection with nothing to do is closed after this long.
  std::chrono::milliseconds idle_timeout{60'000};
  // After an error response: how long unread input is drained, so that the client sees the
  // response instead of a reset.
  std::chrono::milliseconds linger{2'000};
};

class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  class ChunkSink;

  // `services` must outlive the connection; `on_closed` runs once, when the socket closes.
  HttpConnection(asio::ip::tcp::socket socket, const std::vector<HttpService*>& services,
                 const HttpConnectionLimits& limits, std::function<void(HttpConnection*)> on_closed);

  // Starts with the bytes the listener already read.
  void Start(std::string first_bytes);
  // Shutting down: closes now when between requests, else after the current response.
  void Drain();
  // Closes now; a response being prepared is dropped.
  void Close();

 private:
  void ParseBuffered();
  void ReadMore();
  void InputEnded(const asio::error_code& error);
  void ExpectContinue(const HttpRequest& head);
  void Dispatch(HttpRequest request);
  void CancelCurrent();
  void Respond(uint64_t sequence, HttpResponse response);
  // A streamed response: the head now, the body through an HttpChunkSink (http_chunk_sink.cc).
  void StartStream(uint64_t sequence, std::string head, std::function<void(std::shared_ptr<HttpChunkSink>)> stream);
  void WriteChunk(uint64_t sequence, std::string chunk, std::function<void(bool ok)> done);
  void EndStream(uint64_t sequence);
  void Write(std::string bytes, bool then_close, bool lingering);
  void LingeringClose();
  void ArmTimer(std::chrono::milliseconds after);

  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  const std::vector<HttpService*>& services_;
  const HttpConnectionLimits limits_;
  std::function<void(HttpConnection*)> on_closed_;
  HttpRequestParser parser_;

  std::string buffer_;  // read but not parsed yet (from parsed_)
  size_t parsed_ = 0;
  std::array<char, 16 * 1024> chunk_;
  std::optional<HttpRequest> current_;  // the request being answered
  uint64_t sequence_ = 0;               // of the current request, so a second respond() is ignored
  bool streaming_ = false;              // the current response's head is out, its body is coming
  bool stream_keep_alive_ = false;
  bool reading_ = false;
  bool input_ended_ = false;  // the client shut down its sending side
  bool continuing_ = false;   // "100 Continue" is being written
  bool closing_ = false;      // the last answer is being written; the connection closes after it
  bool draining_ = false;
  bool lingering_ = false;
  bool closed_ = false;
};

}  // namespace cloudstate::proxy
