// Turns the bytes of an HTTP/1.1 connection into requests, one at a time, with nodejs' http_parser
// doing the parsing. Pure: no I/O, so pipelining, limits and malformed input are testable on
// strings. One parser per connection; not thread-safe.
#pragma once

#include <http_parser.h>

#include <cstddef>
#include <string>

#include "proxy/http/http_message.h"

namespace cloudstate::proxy {

class HttpRequestParser {
 public:
  // A body longer than `max_body_bytes` is refused with 413 (before it is read when the
  // Content-Length says so). Headers are limited by http_parser (80 KiB, then 431).
  explicit HttpRequestParser(size_t max_body_bytes);
  HttpRequestParser(const HttpRequestParser&) = delete;
  HttpRequestParser& operator=(const HttpRequestParser&) = delete;

  enum class State {
    kNeedMore,  // every byte was consumed; the request is not complete yet
    kRequest,   // a request is complete: TakeRequest(), then Feed the bytes after `consumed`
    // The head of a request with `Expect: 100-continue` is in and its body is not: the client may
    // wait for "100 Continue" before sending it. head() is the request so far; Feed the bytes
    // after `consumed` to read on.
    kExpectContinue,
    kError,     // the input cannot be a valid request: answer error_status() and close
  };
  struct Step {
    State state;
    size_t consumed;
  };
  // Parses until the end of `data` or the end of one request, whichever comes first.
  Step Feed(const char* data, size_t size);
  HttpRequest TakeRequest();
  // After kExpectContinue: the request without its body.
  const HttpRequest& head() const { return request_; }

  // After kError: 400, 413 or 431, and why, for a person to read.
  int error_status() const { return error_status_; }
  const std::string& error_message() const { return error_message_; }
  // True between the first byte of a request and its end.
  bool InRequest() const { return in_request_; }

 private:
  static int OnMessageBegin(http_parser* parser);
  static int OnUrl(http_parser* parser, const char* at, size_t length);
  static int OnHeaderField(http_parser* parser, const char* at, size_t length);
  static int OnHeaderValue(http_parser* parser, const char* at, size_t length);
  static int OnHeadersComplete(http_parser* parser);
  static int OnBody(http_parser* parser, const char* at, size_t length);
  static int OnMessageComplete(http_parser* parser);
  int Fail(int status, std::string message);

  const size_t max_body_bytes_;
  http_parser parser_;
  http_parser_settings settings_;
  HttpRequest request_;
  bool in_header_value_ = false;  // header names and values may each arrive in pieces
  bool in_request_ = false;
  bool complete_ = false;
  bool expect_continue_ = false;  // paused after the head of a request that expects 100-continue
  int error_status_ = 0;
  std::string error_message_;
};

}  // namespace cloudstate::proxy
