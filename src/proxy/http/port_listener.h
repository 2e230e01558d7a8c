// Accepts the client port's connections and tells HTTP/2 from HTTP/1.1 by their first bytes
// (wire_protocol.h): HTTP/2 connections are handed over as a file descriptor (to gRPC), HTTP/1.1
// ones as a socket (to the HttpServer), each with the bytes already read. Runs on the I/O thread.
#pragma once

#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "cloudstate/status.h"
#include "proxy/http/io_thread.h"

namespace cloudstate::proxy {

struct PortHandlers {
  // Takes ownership of `fd`. Called on the I/O thread.
  std::function<void(int listener_fd, int fd, std::string first_bytes)> http2;
  std::function<void(asio::ip::tcp::socket socket, std::string first_bytes)> http1;
};

class PortListener {
 public:
  // Binds `address:port` (port 0: any free port) and accepts on `io` at once. Unavailable when
  // the address cannot be bound.
  static Result<std::unique_ptr<PortListener>> Open(IoThread& io, const std::string& address, int port,
                                                    PortHandlers handlers, std::chrono::milliseconds sniff_timeout);
  ~PortListener();

  int port() const { return port_; }
  // Closes the listening socket (new connections are refused) and drops connections still being
  // sniffed. From any thread but the I/O thread; idempotent.
  void StopAccepting();

 private:
  class Sniffer;
  PortListener(IoThread& io, PortHandlers handlers, std::chrono::milliseconds sniff_timeout);
  void Accept();

  IoThread& io_;
  PortHandlers handlers_;
  const std::chrono::milliseconds sniff_timeout_;
  asio::ip::tcp::acceptor acceptor_;
  asio::steady_timer retry_;
  int port_ = 0;
  int listener_fd_ = -1;
  bool stopped_ = false;
  std::set<std::shared_ptr<Sniffer>> sniffing_;  // I/O thread only
};

}  // namespace cloudstate::proxy
