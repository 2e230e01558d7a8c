#include "proxy/http/http_connection.h"

#include <asio/post.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

namespace cloudstate::proxy {
namespace {

// gRPC status codes of the errors the connection answers itself (HttpResponse::JsonError).
constexpr int kInvalidArgument = 3;
constexpr int kNotFound = 5;
constexpr int kResourceExhausted = 8;
constexpr int kUnimplemented = 12;

}  // namespace

HttpConnection::HttpConnection(asio::ip::tcp::socket socket, const std::vector<HttpService*>& services,
                               const HttpConnectionLimits& limits, std::function<void(HttpConnection*)> on_closed)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      services_(services),
      limits_(limits),
      on_closed_(std::move(on_closed)),
      parser_(limits.max_body_bytes) {}

void HttpConnection::Start(std::string first_bytes) {
  buffer_ = std::move(first_bytes);
  ParseBuffered();
}

void HttpConnection::Drain() {
  draining_ = true;
  if (!current_) Close();
}

void HttpConnection::Close() {
  if (closed_) return;
  closed_ = true;
  asio::error_code ignored;
  timer_.cancel();
  socket_.close(ignored);
  if (on_closed_) on_closed_(this);
}

// Parses what was read until a request is complete (then answers it before going on), the
// buffer is used up (then reads more) or the input is malformed.
void HttpConnection::ParseBuffered() {
  while (!closed_ && !current_) {
    if (parsed_ == buffer_.size()) {
      buffer_.clear();
      parsed_ = 0;
      if (draining_ && !parser_.InRequest()) return Close();
      return ReadMore();
    }
    HttpRequestParser::Step step = parser_.Feed(buffer_.data() + parsed_, buffer_.size() - parsed_);
    parsed_ += step.consumed;
    switch (step.state) {
      case HttpRequestParser::State::kNeedMore: parsed_ = buffer_.size(); break;
      case HttpRequestParser::State::kRequest: Dispatch(parser_.TakeRequest()); break;
      case HttpRequestParser::State::kError: {
        HttpRequest unknown;  // the request line may not have been read: answer as HTTP/1.1
        int status = parser_.error_status();
        HttpResponse response = HttpResponse::JsonError(status, status == 400 ? kInvalidArgument : kResourceExhausted,
                                                        parser_.error_message());
        return Write(SerializeHttpResponse(response, unknown, false, false), true, true);
      }
    }
  }
}

void HttpConnection::ReadMore() {
  if (reading_ || closed_) return;
  reading_ = true;
  ArmTimer(limits_.idle_timeout);
  socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](const asio::error_code& error, size_t n) {
    self->reading_ = false;
    if (self->closed_) return;
    self->timer_.cancel();
    if (error) return self->Close();  // end of input, a reset, or Close() from elsewhere
    self->buffer_.append(self->chunk_.data(), n);
    self->ParseBuffered();
  });
}

void HttpConnection::Dispatch(HttpRequest request) {
  current_ = std::move(request);
  uint64_t sequence = ++sequence_;
  // Handlers may answer from any thread: the answer comes back to the I/O thread.
  HttpRespond respond = [weak = weak_from_this(), executor = socket_.get_executor(), sequence](HttpResponse response) {
    asio::post(executor, [weak, sequence, response = std::move(response)]() mutable {
      if (auto self = weak.lock()) self->Respond(sequence, std::move(response));
    });
  };
  std::vector<std::string> allowed;
  for (HttpService* service : services_) {
    HttpDispatch dispatch = service->Dispatch(*current_, respond);
    if (dispatch.outcome == HttpDispatch::kTaken) return;
    allowed.insert(allowed.end(), dispatch.allowed.begin(), dispatch.allowed.end());
  }
  if (allowed.empty()) {
    return Respond(sequence, HttpResponse::JsonError(404, kNotFound, "no resource at " + current_->path));
  }
  std::string allow;
  for (const auto& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
  HttpResponse response = HttpResponse::JsonError(
      405, kUnimplemented, current_->method + " is not allowed on " + current_->path + " (allowed: " + allow + ")");
  response.headers.emplace_back("Allow", allow);
  Respond(sequence, std::move(response));
}

void HttpConnection::Respond(uint64_t sequence, HttpResponse response) {
  if (closed_ || !current_ || sequence != sequence_ || streaming_) return;
  bool streamed = static_cast<bool>(response.stream);
  // A streamed body to an HTTP/1.0 client has no framing: it ends when the connection closes.
  bool keep_alive = current_->keep_alive && !draining_ && (!streamed || ChunkedFor(*current_));
  bool head = current_->method == "HEAD";
  std::string bytes = SerializeHttpResponse(response, *current_, keep_alive, head);
  if (!streamed) return Write(std::move(bytes), !keep_alive, false);
  streaming_ = true;
  stream_keep_alive_ = keep_alive;
  stream_head_only_ = head;
  StartStream(sequence, std::move(bytes), std::move(response.stream));
}

void HttpConnection::Write(std::string bytes, bool then_close, bool lingering) {
  auto data = std::make_shared<std::string>(std::move(bytes));
  asio::async_write(socket_, asio::buffer(*data),
                    [self = shared_from_this(), data, then_close, lingering](const asio::error_code& error, size_t) {
                      if (self->closed_) return;
                      if (error) return self->Close();
                      if (lingering) return self->LingeringClose();
                      if (then_close) {
                        asio::error_code ignored;
                        self->socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
                        return self->Close();
                      }
                      self->current_.reset();
                      self->ParseBuffered();  // a pipelined request may be waiting in the buffer
                    });
}

// Closing a socket with unread input resets the connection, and the client may lose the error
// response; so stop sending, read and drop the rest for a while, then close.
void HttpConnection::LingeringClose() {
  if (!lingering_) {
    lingering_ = true;
    asio::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    ArmTimer(limits_.linger);  // once: a client that keeps sending does not keep the connection
  }
  socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](const asio::error_code& error, size_t) {
    if (self->closed_) return;
    if (error) return self->Close();
    self->LingeringClose();
  });
}

void HttpConnection::ArmTimer(std::chrono::milliseconds after) {
  timer_.expires_after(after);
  timer_.async_wait([self = shared_from_this()](const asio::error_code& error) {
    // A cancelled or re-armed timer is not an expiry.
    if (error || self->timer_.expiry() > std::chrono::steady_clock::now()) return;
    self->Close();
  });
}

}  // namespace cloudstate::proxy
