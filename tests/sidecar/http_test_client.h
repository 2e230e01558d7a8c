// A blocking HTTP/1.1 client over a plain socket for tests: sends raw bytes (so tests can send
// pipelined and malformed requests) and reads responses one at a time with http_parser.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cloudstate::sidecartest {

struct HttpTestResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  bool keep_alive = true;
};

class HttpTestConnection {
 public:
  // nullopt when the connection is refused.
  static std::optional<HttpTestConnection> Connect(int port);
  HttpTestConnection(HttpTestConnection&& other) noexcept;
  HttpTestConnection& operator=(HttpTestConnection&&) = delete;
  ~HttpTestConnection();

  bool Send(std::string_view bytes);
  // The next response; nullopt when the server closed the connection (or a 30 s safety net ran out).
  // `head` for the response to a HEAD request (no body follows).
  std::optional<HttpTestResponse> Read(bool head = false);
  // True when the server closed the connection with nothing more to read.
  bool ClosedByServer();

  // A streamed response, read as it comes: first its head (status and headers; `body` empty),
  // then its body up to and including the next `delimiter` ("\n" for newline-delimited JSON,
  // "\n\n" for server-sent events) at a time. ReadBodyUntil gives nullopt once the body has ended
  // (BodyEnded() is then true) or the connection closed; what came after the last delimiter is left
  // in Rest().
  std::optional<HttpTestResponse> ReadHead();
  std::optional<std::string> ReadBodyUntil(std::string_view delimiter);
  bool BodyEnded() const;
  std::string Rest() const;

  // The client goes away: closes the socket. / Shuts down only the sending side.
  void Close();
  void ShutdownWrite();

 private:
  struct Streamed;
  explicit HttpTestConnection(int fd);
  // Reads more into pending_; false at the end of the connection.
  bool Receive();
  int fd_;
  std::string pending_;  // bytes read past the last response
  std::unique_ptr<Streamed> streamed_;  // the streamed response being read
};

// "GET <path> HTTP/1.1" with a Host header.
std::string GetRequest(const std::string& path, const std::string& extra_headers = "");

// One request on a fresh connection.
std::optional<HttpTestResponse> HttpGet(int port, const std::string& path);

}  // namespace cloudstate::sidecartest
