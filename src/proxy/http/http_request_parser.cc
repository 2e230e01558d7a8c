#include "proxy/http/http_request_parser.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <string_view>

namespace cloudstate::proxy {
namespace {

HttpRequestParser& Self(http_parser* parser) { return *static_cast<HttpRequestParser*>(parser->data); }

void AppendLower(std::string& out, const char* at, size_t length) {
  for (size_t i = 0; i < length; ++i) out += static_cast<char>(std::tolower(static_cast<unsigned char>(at[i])));
}

void TrimRight(std::string& text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

HttpRequestParser::HttpRequestParser(size_t max_body_bytes) : max_body_bytes_(max_body_bytes) {
  http_parser_init(&parser_, HTTP_REQUEST);
  parser_.data = this;
  http_parser_settings_init(&settings_);
  settings_.on_message_begin = &OnMessageBegin;
  settings_.on_url = &OnUrl;
  settings_.on_header_field = &OnHeaderField;
  settings_.on_header_value = &OnHeaderValue;
  settings_.on_headers_complete = &OnHeadersComplete;
  settings_.on_body = &OnBody;
  settings_.on_message_complete = &OnMessageComplete;
}

HttpRequestParser::Step HttpRequestParser::Feed(const char* data, size_t size) {
  if (error_status_ != 0) return {State::kError, 0};
  // The parser pauses itself after each request (see OnMessageComplete) until asked for more.
  if (HTTP_PARSER_ERRNO(&parser_) == HPE_PAUSED) http_parser_pause(&parser_, 0);
  complete_ = false;
  expect_continue_ = false;
  size_t consumed = http_parser_execute(&parser_, &settings_, data, size);
  http_errno error = HTTP_PARSER_ERRNO(&parser_);
  if (complete_) return {State::kRequest, consumed};
  if (expect_continue_) return {State::kExpectContinue, consumed};
  if (error_status_ != 0) return {State::kError, consumed};
  if (error == HPE_HEADER_OVERFLOW) {
    Fail(431, "the request's headers are larger than " + std::to_string(HTTP_MAX_HEADER_SIZE / 1024) + " KiB");
    return {State::kError, consumed};
  }
  if (error != HPE_OK) {
    Fail(400, std::string("malformed HTTP request: ") + http_errno_description(error));
    return {State::kError, consumed};
  }
  if (parser_.upgrade) {
    // CONNECT or an Upgrade we do not speak: the rest of the stream is not HTTP/1.1.
    Fail(400, "protocol upgrades are not supported on this port");
    return {State::kError, consumed};
  }
  return {State::kNeedMore, consumed};
}

HttpRequest HttpRequestParser::TakeRequest() {
  HttpRequest taken = std::move(request_);
  request_ = HttpRequest();
  return taken;
}

int HttpRequestParser::Fail(int status, std::string message) {
  if (error_status_ == 0) {
    error_status_ = status;
    error_message_ = std::move(message);
  }
  return -1;  // stops http_parser
}

int HttpRequestParser::OnMessageBegin(http_parser* parser) {
  HttpRequestParser& self = Self(parser);
  self.request_ = HttpRequest();
  self.in_header_value_ = false;
  self.in_request_ = true;
  return 0;
}

int HttpRequestParser::OnUrl(http_parser* parser, const char* at, size_t length) {
  Self(parser).request_.target.append(at, length);
  return 0;
}

int HttpRequestParser::OnHeaderField(http_parser* parser, const char* at, size_t length) {
  HttpRequestParser& self = Self(parser);
  if (self.in_header_value_ || self.request_.headers.empty()) {
    self.request_.headers.emplace_back();
    self.in_header_value_ = false;
  }
  AppendLower(self.request_.headers.back().first, at, length);
  return 0;
}

int HttpRequestParser::OnHeaderValue(http_parser* parser, const char* at, size_t length) {
  HttpRequestParser& self = Self(parser);
  self.in_header_value_ = true;
  self.request_.headers.back().second.append(at, length);
  return 0;
}

int HttpRequestParser::OnHeadersComplete(http_parser* parser) {
  HttpRequestParser& self = Self(parser);
  HttpRequest& request = self.request_;
  for (auto& header : request.headers) TrimRight(header.second);  // obsolete line folding leaves blanks
  request.method = http_method_str(static_cast<http_method>(parser->method));
  request.version_major = parser->http_major;
  request.version_minor = parser->http_minor;
  request.keep_alive = http_should_keep_alive(parser) != 0;
  size_t query = request.target.find('?');
  request.path = request.target.substr(0, query);
  if (query != std::string::npos) request.query = request.target.substr(query + 1);
  if (request.target.empty() || (request.target[0] != '/' && request.target != "*")) {
    // Absolute-form targets are for proxies; this is an origin server.
    return self.Fail(400, "the request target must be a path starting with '/'");
  }
  if (request.version_major == 1 && request.version_minor >= 1 && request.Header("host") == nullptr) {
    return self.Fail(400, "an HTTP/1.1 request needs a Host header");
  }
  // ULLONG_MAX means "no Content-Length" (chunked or empty); OnBody checks those as they come.
  if (parser->content_length != ULLONG_MAX && parser->content_length > self.max_body_bytes_) {
    return self.Fail(413, "the request body of " + std::to_string(parser->content_length) +
                              " bytes is larger than the limit of " + std::to_string(self.max_body_bytes_) + " bytes");
  }
  // HTTP/1.0 clients cannot expect 100 Continue (RFC 9110, 10.1.1); without a body there is nothing
  // to wait for.
  const std::string* expect = request.Header("expect");
  bool body_follows = (parser->flags & F_CHUNKED) != 0 ||
                      (parser->content_length != ULLONG_MAX && parser->content_length > 0);
  if (expect != nullptr && EqualsIgnoringCase(*expect, "100-continue") && body_follows &&
      (request.version_major > 1 || request.version_minor >= 1)) {
    self.expect_continue_ = true;
    http_parser_pause(parser, 1);  // the connection answers the expectation before the body is read
  }
  return 0;
}

int HttpRequestParser::OnBody(http_parser* parser, const char* at, size_t length) {
  HttpRequestParser& self = Self(parser);
  if (self.request_.body.size() + length > self.max_body_bytes_) {
    return self.Fail(413, "the request body is larger than the limit of " + std::to_string(self.max_body_bytes_) +
                              " bytes");
  }
  self.request_.body.append(at, length);
  return 0;
}

int HttpRequestParser::OnMessageComplete(http_parser* parser) {
  HttpRequestParser& self = Self(parser);
  self.complete_ = true;
  self.in_request_ = false;
  // One request at a time: the connection answers it before the parser reads the next one.
  http_parser_pause(parser, 1);
  return 0;
}

}  // namespace cloudstate::proxy
