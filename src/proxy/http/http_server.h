// The HTTP/1.1 side of the client port: keeps the live connections (handed over by the listener
// after sniffing) so that shutdown can drain and close them. Connections run on the I/O thread.
#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "proxy/http/http_connection.h"
#include "proxy/http/http_service.h"

namespace cloudstate::proxy {

class HttpServer {
 public:
  // Requests go to `services` in order; they must outlive the server.
  HttpServer(asio::io_context& io, std::vector<HttpService*> services, HttpConnectionLimits limits);
  ~HttpServer();

  // On the I/O thread: serves a connection whose first bytes were already read.
  void Serve(asio::ip::tcp::socket socket, std::string first_bytes);

  // From any thread but the I/O thread: connections between requests close now, the others after
  // their current response; those still open at `deadline` are closed. Returns once all are closed.
  void Shutdown(std::chrono::steady_clock::time_point deadline);

  size_t live_connections() const;

 private:
  void Forget(HttpConnection* connection);

  asio::io_context& io_;
  const std::vector<HttpService*> services_;
  const HttpConnectionLimits limits_;
  // Touched on the I/O thread only; the count is mirrored under mu_ for Shutdown's wait.
  std::unordered_map<HttpConnection*, std::shared_ptr<HttpConnection>> live_;
  mutable std::mutex mu_;
  std::condition_variable closed_;
  size_t count_ = 0;
  bool shut_down_ = false;
};

}  // namespace cloudstate::proxy
