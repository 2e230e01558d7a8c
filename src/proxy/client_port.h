// The sidecar's one client port: bound at start, it serves HTTP/1.1 (operations endpoints, later
// HTTP/JSON) and gRPC side by side. Each accepted connection is sniffed: HTTP/2 goes to a gRPC
// server that has no port of its own (gRPC's external connection acceptor, with the bytes already
// read), the rest to the HttpServer.
//
// Until OpenGrpc(), HTTP/2 connections are held, unanswered: a client that connects as soon as the
// port answers (as the TCK does) has its calls served once the services are, within its deadline,
// instead of failing. Shutdown closes connections still held.
#pragma once

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "cloudstate/status.h"
#include "proxy/http/http_server.h"
#include "proxy/http/io_thread.h"
#include "proxy/http/port_listener.h"

namespace cloudstate::proxy {

struct ClientPortOptions {
  std::string address = "0.0.0.0";
  int port = 9000;  // 0 picks a free port
  int max_grpc_message_bytes = 12 * 1024 * 1024;
  HttpConnectionLimits http;
  // A connection that has not said which protocol it speaks by then is closed.
  std::chrono::milliseconds sniff_timeout{10'000};
};

class ClientPort {
 public:
  // Binds and serves at once. `grpc_service` (every method no other service serves),
  // `grpc_services` (by their own methods) and `http_services` must outlive the port.
  static Result<std::unique_ptr<ClientPort>> Open(const ClientPortOptions& options,
                                                  grpc::CallbackGenericService& grpc_service,
                                                  std::vector<HttpService*> http_services,
                                                  std::vector<grpc::Service*> grpc_services = {});
  ~ClientPort();  // Drain(now)

  int port() const { return listener_->port(); }

  // Hands the held HTTP/2 connections, and every later one, to the gRPC server. From any thread.
  void OpenGrpc();
  // New connections are refused from now on; those open keep being served. Idempotent.
  void StopAccepting();
  // Stops accepting, lets gRPC calls and HTTP requests in flight finish until `deadline`, then
  // closes every connection. Idempotent.
  void Drain(std::chrono::steady_clock::time_point deadline);

 private:
  ClientPort() = default;
  void HandOverHttp2(int listener_fd, int fd, std::string first_bytes);

  struct HeldConnection {
    int listener_fd;
    int fd;
    std::string first_bytes;
  };
  // More held connections than this are handed over at once (their calls get UNAVAILABLE).
  static constexpr size_t kMaxHeld = 1024;

  // Declared in the order they must be built; torn down in reverse (the I/O thread last).
  IoThread io_;
  std::unique_ptr<grpc::Server> grpc_;
  std::unique_ptr<grpc::experimental::ExternalConnectionAcceptor> grpc_acceptor_;
  std::unique_ptr<HttpServer> http_;
  std::unique_ptr<PortListener> listener_;
  bool drained_ = false;
  // I/O thread only.
  bool grpc_open_ = false;
  std::vector<HeldConnection> held_;
};

}  // namespace cloudstate::proxy
