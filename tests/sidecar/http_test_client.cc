#include "http_test_client.h"

#include <arpa/inet.h>
#include <http_parser.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>

namespace cloudstate::sidecartest {
namespace {

struct ResponseParse {
  HttpTestResponse response;
  std::string field;
  bool in_value = false;
  bool head_complete = false;
  bool complete = false;
};

ResponseParse& Of(http_parser* parser) { return *static_cast<ResponseParse*>(parser->data); }

http_parser_settings Settings() {
  http_parser_settings settings;
  http_parser_settings_init(&settings);
  settings.on_header_field = [](http_parser* p, const char* at, size_t n) {
    ResponseParse& r = Of(p);
    if (r.in_value) r.field.clear();
    r.in_value = false;
    for (size_t i = 0; i < n; ++i) r.field += static_cast<char>(std::tolower(static_cast<unsigned char>(at[i])));
    return 0;
  };
  settings.on_header_value = [](http_parser* p, const char* at, size_t n) {
    ResponseParse& r = Of(p);
    r.in_value = true;
    r.response.headers[r.field].append(at, n);
    return 0;
  };
  settings.on_body = [](http_parser* p, const char* at, size_t n) {
    Of(p).response.body.append(at, n);
    return 0;
  };
  settings.on_message_complete = [](http_parser* p) {
    ResponseParse& r = Of(p);
    r.complete = true;
    r.response.status = static_cast<int>(p->status_code);
    r.response.keep_alive = http_should_keep_alive(p) != 0;
    http_parser_pause(p, 1);  // leave a pipelined response for the next Read
    return 0;
  };
  settings.on_headers_complete = [](http_parser* p) {
    ResponseParse& r = Of(p);
    bool head = r.response.status == -1;  // a HEAD response announces a body it does not send
    r.head_complete = true;
    r.response.status = static_cast<int>(p->status_code);
    return head ? 1 : 0;
  };
  return settings;
}

}  // namespace

struct HttpTestConnection::Streamed {
  Streamed() : settings(Settings()) {
    http_parser_init(&parser, HTTP_RESPONSE);
    parser.data = &parse;
  }
  // Parses what is pending; false when the bytes are not a valid response.
  bool Parse(std::string& pending) {
    if (pending.empty() || parse.complete) return true;
    size_t used = http_parser_execute(&parser, &settings, pending.data(), pending.size());
    pending.erase(0, used);
    return HTTP_PARSER_ERRNO(&parser) == HPE_OK || HTTP_PARSER_ERRNO(&parser) == HPE_PAUSED;
  }
  http_parser parser;
  http_parser_settings settings;
  ResponseParse parse;
};

std::optional<HttpTestConnection> HttpTestConnection::Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return std::nullopt;
  timeval safety{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &safety, sizeof safety);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  return HttpTestConnection(fd);
}

HttpTestConnection::HttpTestConnection(int fd) : fd_(fd) {}
HttpTestConnection::HttpTestConnection(HttpTestConnection&& other) noexcept
    : fd_(other.fd_), pending_(std::move(other.pending_)), streamed_(std::move(other.streamed_)) {
  other.fd_ = -1;
}
HttpTestConnection::~HttpTestConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool HttpTestConnection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::optional<HttpTestResponse> HttpTestConnection::Read(bool head) {
  streamed_.reset();
  http_parser parser;
  http_parser_init(&parser, HTTP_RESPONSE);
  ResponseParse parse;
  parse.response.status = head ? -1 : 0;
  parser.data = &parse;
  http_parser_settings settings = Settings();
  for (;;) {
    if (!pending_.empty()) {
      size_t used = http_parser_execute(&parser, &settings, pending_.data(), pending_.size());
      pending_.erase(0, used);
      if (parse.complete) return parse.response;
      if (HTTP_PARSER_ERRNO(&parser) != HPE_OK) return std::nullopt;
    }
    char chunk[8192];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return std::nullopt;
    pending_.append(chunk, static_cast<size_t>(n));
  }
}

bool HttpTestConnection::Receive() {
  char chunk[8192];
  ssize_t n = fd_ < 0 ? -1 : ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  pending_.append(chunk, static_cast<size_t>(n));
  return true;
}

std::optional<HttpTestResponse> HttpTestConnection::ReadHead() {
  streamed_ = std::make_unique<Streamed>();
  while (true) {
    if (!streamed_->Parse(pending_)) return std::nullopt;
    if (streamed_->parse.head_complete) {
      HttpTestResponse head = streamed_->parse.response;
      head.body.clear();
      return head;
    }
    if (!Receive()) return std::nullopt;
  }
}

std::optional<std::string> HttpTestConnection::ReadBodyUntil(std::string_view delimiter) {
  if (!streamed_) return std::nullopt;
  std::string& body = streamed_->parse.response.body;
  while (true) {
    size_t at = body.find(delimiter);
    if (at != std::string::npos) {
      std::string piece = body.substr(0, at + delimiter.size());
      body.erase(0, at + delimiter.size());
      return piece;
    }
    if (streamed_->parse.complete) return std::nullopt;
    if (!Receive()) {
      // The end of a body that runs until the connection closes.
      http_parser_execute(&streamed_->parser, &streamed_->settings, nullptr, 0);
      return std::nullopt;
    }
    if (!streamed_->Parse(pending_)) return std::nullopt;
  }
}

bool HttpTestConnection::BodyEnded() const { return streamed_ && streamed_->parse.complete; }

std::string HttpTestConnection::Rest() const { return streamed_ ? streamed_->parse.response.body : ""; }

void HttpTestConnection::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void HttpTestConnection::ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

bool HttpTestConnection::ClosedByServer() {
  if (!pending_.empty()) return false;
  char byte;
  return ::recv(fd_, &byte, 1, 0) == 0;
}

std::string GetRequest(const std::string& path, const std::string& extra_headers) {
  return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extra_headers + "\r\n";
}

std::optional<HttpTestResponse> HttpGet(int port, const std::string& path) {
  auto connection = HttpTestConnection::Connect(port);
  if (!connection || !connection->Send(GetRequest(path, "Connection: close\r\n"))) return std::nullopt;
  return connection->Read();
}

}  // namespace cloudstate::sidecartest
