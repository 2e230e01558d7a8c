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

// Pipelined input read while a request is answered waits in the buffer up to this much; then the
// connection stops reading until the response is out.
constexpr size_t kMaxBufferedAhead = 64 * 1024;

// The answer when no service takes a request: 404, or 405 listing the methods the path takes.
HttpResponse Unserved(const HttpRequest& request, const std::vector<std::string>& allowed) {
  if (allowed.empty()) return HttpResponse::JsonError(404, kNotFound, "no resource at " + request.path);
  std::string allow;
  for (const auto& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
  HttpResponse response = HttpResponse::JsonError(
      405, kUnimplemented, request.method + " is not allowed on " + request.path + " (allowed: " + allow + ")");
  response.headers.emplace_back("Allow", allow);
  return response;
}

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
  CancelCurrent();  // a response being prepared has nobody to go to
  if (on_closed_) on_closed_(this);
}

void HttpConnection::CancelCurrent() {
  if (current_ && current_->cancellation) current_->cancellation->Cancel();
}

// Parses what was read until a request is complete (then answers it before going on), the
// buffer is used up (then reads more) or the input is malformed.
void HttpConnection::ParseBuffered() {
  while (!closed_ && !current_) {
    if (parsed_ == buffer_.size()) {
      buffer_.clear();
      parsed_ = 0;
      if (input_ended_ || (draining_ && !parser_.InRequest())) return Close();
      return ReadMore();
    }
    HttpRequestParser::Step step = parser_.Feed(buffer_.data() + parsed_, buffer_.size() - parsed_);
    parsed_ += step.consumed;
    switch (step.state) {
      case HttpRequestParser::State::kNeedMore: parsed_ = buffer_.size(); break;
      case HttpRequestParser::State::kRequest: Dispatch(parser_.TakeRequest()); break;
      case HttpRequestParser::State::kExpectContinue: return ExpectContinue(parser_.head());
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

// Reads the next request when idle (under the idle timeout), and also while a request is being
// answered, to notice a client that goes away (InputEnded).
void HttpConnection::ReadMore() {
  if (closed_ || input_ended_) return;
  if (!current_) ArmTimer(limits_.idle_timeout);
  bool answering = current_ || continuing_;
  if (reading_ || (answering && buffer_.size() - parsed_ >= kMaxBufferedAhead)) return;
  reading_ = true;
  socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](const asio::error_code& error, size_t n) {
    self->reading_ = false;
    if (self->closed_) return;
    if (self->closing_) {
      // The last answer is on its way; what the client sends now is dropped.
      if (self->lingering_) return error ? self->Close() : self->LingeringClose();
      return;  // LingeringClose, if it comes, reads on
    }
    self->timer_.cancel();
    if (error) return self->InputEnded(error);
    self->buffer_.append(self->chunk_.data(), n);
    // Ahead of the answer: parsed once it is out.
    if (self->current_ || self->continuing_) return self->ReadMore();
    self->ParseBuffered();
  });
}

// End of input or a reset. Between requests the connection closes. While a request is answered,
// its handler hears at once that the client went away; after a reset the connection closes now,
// after an orderly end the response still goes out (the client may wait for it with only its
// sending side shut down), then the connection closes.
void HttpConnection::InputEnded(const asio::error_code& error) {
  if (!current_ || error != asio::error::eof) return Close();
  input_ended_ = true;
  CancelCurrent();
}

void HttpConnection::ExpectContinue(const HttpRequest& head) {
  std::vector<std::string> allowed;
  for (HttpService* service : services_) {
    HttpDispatch admitted = service->Admit(head);
    if (admitted.outcome == HttpDispatch::kTaken) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      continuing_ = true;
      asio::async_write(socket_, asio::buffer(kContinue), [self = shared_from_this()](const asio::error_code& error,
                                                                                     size_t) {
        self->continuing_ = false;
        if (self->closed_) return;
        if (error) return self->Close();
        self->ParseBuffered();  // the parser goes on with the body
      });
      return;
    }
    allowed.insert(allowed.end(), admitted.allowed.begin(), admitted.allowed.end());
  }
  // Refused before the body was read: the client may send it anyway, so the connection cannot tell
  // where the next request starts. It closes after the answer.
  Write(SerializeHttpResponse(Unserved(head, allowed), head, false, head.method == "HEAD"), true, true);
}

void HttpConnection::Dispatch(HttpRequest request) {
  request.cancellation = std::make_shared<HttpCancellation>();
  current_ = std::move(request);
  uint64_t sequence = ++sequence_;
  // Handlers may answer from any thread: the answer comes back to the I/O thread.
  HttpRespond respond = [weak = weak_from_this(), executor = socket_.get_executor(), sequence](HttpResponse response) {
    asio::post(executor, [weak, sequence, response = std::move(response)]() mutable {
      if (auto self = weak.lock()) self->Respond(sequence, std::move(response));
    });
  };
  ReadMore();  // watch for the client going away meanwhile
  std::vector<std::string> allowed;
  for (HttpService* service : services_) {
    HttpDispatch dispatch = service->Dispatch(*current_, respond);
    if (dispatch.outcome == HttpDispatch::kTaken) return;
    allowed.insert(allowed.end(), dispatch.allowed.begin(), dispatch.allowed.end());
  }
  Respond(sequence, Unserved(*current_, allowed));
}

void HttpConnection::Respond(uint64_t sequence, HttpResponse response) {
  if (closed_ || !current_ || sequence != sequence_ || streaming_) return;
  bool head = current_->method == "HEAD";
  // The body of a HEAD response is never sent, streamed or not: its head is the whole answer.
  bool streamed = static_cast<bool>(response.stream) && !head;
  // A streamed body to an HTTP/1.0 client has no framing: it ends when the connection closes.
  bool keep_alive = current_->keep_alive && !draining_ && !input_ended_ && (!streamed || ChunkedFor(*current_));
  std::string bytes = SerializeHttpResponse(response, *current_, keep_alive, head);
  if (!streamed) {
    // A producer of a streamed body learns that no more of it is wanted.
    if (response.stream) CancelCurrent();
    return Write(std::move(bytes), !keep_alive, false);
  }
  streaming_ = true;
  stream_keep_alive_ = keep_alive;
  StartStream(sequence, std::move(bytes), std::move(response.stream));
}

void HttpConnection::Write(std::string bytes, bool then_close, bool lingering) {
  closing_ = then_close || lingering;
  auto data = std::make_shared<std::string>(std::move(bytes));
  asio::async_write(socket_, asio::buffer(*data),
                    [self = shared_from_this(), data, then_close, lingering](const asio::error_code& error, size_t) {
                      if (self->closed_) return;
                      if (error) return self->Close();
                      if (lingering) return self->LingeringClose();
                      if (then_close) {
                        self->current_.reset();  // answered: nothing to cancel
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
  if (reading_) return;  // the read in flight comes back here
  reading_ = true;
  socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](const asio::error_code& error, size_t) {
    self->reading_ = false;
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
