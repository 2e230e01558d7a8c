#include "proxy/http/port_listener.h"

#include <asio/steady_timer.hpp>
#include <fcntl.h>

#include <array>

#include "proxy/http/wire_protocol.h"

namespace cloudstate::proxy {

// Reads a new connection's first bytes until its protocol is clear, then hands it on.
class PortListener::Sniffer : public std::enable_shared_from_this<Sniffer> {
 public:
  Sniffer(PortListener& listener, asio::ip::tcp::socket socket)
      : listener_(listener), socket_(std::move(socket)), timer_(socket_.get_executor()) {}

  void Start() {
    timer_.expires_after(listener_.sniff_timeout_);
    timer_.async_wait([self = shared_from_this()](const asio::error_code& error) {
      if (!error && !self->done_) self->Drop();  // a client that never speaks does not hold a socket for ever
    });
    Read();
  }

  // Also runs when the listener stops; after that the listener may be gone (hence done_).
  void Drop() {
    if (done_) return;
    done_ = true;
    asio::error_code ignored;
    timer_.cancel();
    socket_.close(ignored);
    listener_.sniffing_.erase(shared_from_this());
  }

 private:
  void Read() {
    socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](const asio::error_code& error, size_t n) {
      if (self->done_) return;
      if (error) return self->Drop();
      self->bytes_.append(self->chunk_.data(), n);
      switch (SniffWireProtocol(self->bytes_)) {
        case WireProtocol::kUndecided: return self->Read();
        case WireProtocol::kHttp2: return self->HandOverHttp2();
        case WireProtocol::kHttp1: return self->HandOverHttp1();
      }
    });
  }

  void HandOverHttp2() {
    done_ = true;
    timer_.cancel();
    asio::error_code error;
    int fd = socket_.release(error);
    listener_.sniffing_.erase(shared_from_this());
    if (error) return;
    // gRPC's endpoints expect a non-blocking socket.
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    listener_.handlers_.http2(listener_.listener_fd_, fd, std::move(bytes_));
  }

  void HandOverHttp1() {
    done_ = true;
    timer_.cancel();
    listener_.sniffing_.erase(shared_from_this());
    listener_.handlers_.http1(std::move(socket_), std::move(bytes_));
  }

  PortListener& listener_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  std::array<char, 4096> chunk_;
  std::string bytes_;
  bool done_ = false;  // dropped or handed over
};

PortListener::PortListener(IoThread& io, PortHandlers handlers, std::chrono::milliseconds sniff_timeout)
    : io_(io), handlers_(std::move(handlers)), sniff_timeout_(sniff_timeout), acceptor_(io.context()), retry_(io.context()) {}

PortListener::~PortListener() { StopAccepting(); }

Result<std::unique_ptr<PortListener>> PortListener::Open(IoThread& io, const std::string& address, int port,
                                                         PortHandlers handlers,
                                                         std::chrono::milliseconds sniff_timeout) {
  std::unique_ptr<PortListener> listener(new PortListener(io, std::move(handlers), sniff_timeout));
  const std::string where = address + ":" + std::to_string(port);
  asio::error_code error;
  asio::ip::address ip = asio::ip::make_address(address, error);
  if (error) return Status::InvalidArgument("cannot listen on " + where + ": not an IP address");
  asio::ip::tcp::endpoint endpoint(ip, static_cast<unsigned short>(port));
  auto& acceptor = listener->acceptor_;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) return Status::Unavailable("cannot listen on " + where + ": " + error.message());
  listener->port_ = acceptor.local_endpoint(error).port();
  listener->listener_fd_ = acceptor.native_handle();
  // Accepting starts on the I/O thread, which owns the acceptor from now on.
  io.RunAndWait([raw = listener.get()] { raw->Accept(); });
  return listener;
}

void PortListener::Accept() {
  acceptor_.async_accept([this](const asio::error_code& error, asio::ip::tcp::socket socket) {
    // Aborted: the acceptor was closed, and this listener may be gone already.
    if (error == asio::error::operation_aborted || stopped_) return;
    if (error) {
      // Out of file descriptors and the like: try again shortly rather than spin.
      retry_.expires_after(std::chrono::milliseconds(100));
      retry_.async_wait([this](const asio::error_code& wait_error) {
        if (!wait_error && !stopped_) Accept();
      });
      return;
    }
    asio::error_code ignored;
    socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    auto sniffer = std::make_shared<Sniffer>(*this, std::move(socket));
    sniffing_.insert(sniffer);
    sniffer->Start();
    Accept();
  });
}

void PortListener::StopAccepting() {
  if (io_.OnThisThread()) return;
  io_.RunAndWait([this] {
    if (stopped_) return;
    stopped_ = true;
    asio::error_code ignored;
    acceptor_.close(ignored);
    retry_.cancel();
    auto sniffing = sniffing_;
    for (const auto& sniffer : sniffing) sniffer->Drop();
  });
}

}  // namespace cloudstate::proxy
