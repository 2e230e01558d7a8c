#include "proxy/client_port.h"

#include <asio/post.hpp>
#include <grpcpp/security/server_credentials.h>
#include <unistd.h>

namespace cloudstate::proxy {

Result<std::unique_ptr<ClientPort>> ClientPort::Open(const ClientPortOptions& options,
                                                     grpc::CallbackGenericService& grpc_service,
                                                     std::vector<HttpService*> http_services,
                                                     std::vector<grpc::Service*> grpc_services) {
  std::unique_ptr<ClientPort> port(new ClientPort());

  grpc::ServerBuilder builder;
  port->grpc_acceptor_ = builder.experimental().AddExternalConnectionAcceptor(
      grpc::ServerBuilder::experimental_type::ExternalConnectionType::FROM_FD, grpc::InsecureServerCredentials());
  builder.SetMaxReceiveMessageSize(options.max_grpc_message_bytes);
  for (grpc::Service* service : grpc_services) builder.RegisterService(service);
  builder.RegisterCallbackGenericService(&grpc_service);
  port->grpc_ = builder.BuildAndStart();
  if (!port->grpc_) return Status::Internal("cannot start the gRPC server");

  port->http_ = std::make_unique<HttpServer>(port->io_.context(), std::move(http_services), options.http);

  PortHandlers handlers;
  handlers.http2 = [raw = port.get()](int listener_fd, int fd, std::string first_bytes) {
    if (!raw->grpc_open_ && raw->held_.size() < kMaxHeld) {
      raw->held_.push_back({listener_fd, fd, std::move(first_bytes)});
      return;
    }
    raw->HandOverHttp2(listener_fd, fd, std::move(first_bytes));
  };
  handlers.http1 = [http = port->http_.get()](asio::ip::tcp::socket socket, std::string first_bytes) {
    http->Serve(std::move(socket), std::move(first_bytes));
  };
  Result<std::unique_ptr<PortListener>> listener =
      PortListener::Open(port->io_, options.address, options.port, std::move(handlers), options.sniff_timeout);
  if (!listener.ok()) {
    port->grpc_->Shutdown();
    return listener.status();
  }
  port->listener_ = std::move(*listener);
  return port;
}

void ClientPort::HandOverHttp2(int listener_fd, int fd, std::string first_bytes) {
  grpc::experimental::ExternalConnectionAcceptor::NewConnectionParameters connection;
  connection.listener_fd = listener_fd;
  connection.fd = fd;  // gRPC owns it from here, and closes it if the server is shut down
  grpc::Slice bytes(first_bytes.data(), first_bytes.size());
  connection.read_buffer = grpc::ByteBuffer(&bytes, 1);
  grpc_acceptor_->HandleNewConnection(&connection);
}

void ClientPort::OpenGrpc() {
  asio::post(io_.context(), [this] {
    grpc_open_ = true;
    for (auto& held : held_) HandOverHttp2(held.listener_fd, held.fd, std::move(held.first_bytes));
    held_.clear();
  });
}

ClientPort::~ClientPort() {
  if (grpc_) Drain(std::chrono::steady_clock::now());
}

void ClientPort::StopAccepting() {
  if (listener_) listener_->StopAccepting();
}

void ClientPort::Drain(std::chrono::steady_clock::time_point deadline) {
  if (drained_) return;
  drained_ = true;
  StopAccepting();
  io_.RunAndWait([this] {
    for (const auto& held : held_) ::close(held.fd);
    held_.clear();
  });
  // gRPC waits for its calls until the deadline and cancels the rest; then HTTP gets what is left.
  auto system_deadline = std::chrono::system_clock::now() + (deadline - std::chrono::steady_clock::now());
  grpc_->Shutdown(system_deadline);
  http_->Shutdown(deadline);
  io_.Stop();
}

}  // namespace cloudstate::proxy
