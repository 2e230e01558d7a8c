#include "proxy/http/http_server.h"

#include <asio/post.hpp>

#include <future>

namespace cloudstate::proxy {
namespace {

// Runs `work` on the I/O thread and waits; false when the loop is no longer running.
template <typename Work>
bool RunOn(asio::io_context& io, Work work) {
  if (io.stopped()) return false;
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  asio::post(io, [done, work] {
    work();
    done->set_value();
  });
  // A loop stopped meanwhile drops the handler, and the promise with it: broken, not hanging.
  try {
    finished.get();
  } catch (const std::future_error&) {
    return false;
  }
  return true;
}

}  // namespace

HttpServer::HttpServer(asio::io_context& io, std::vector<HttpService*> services, HttpConnectionLimits limits)
    : io_(io), services_(std::move(services)), limits_(limits) {}

HttpServer::~HttpServer() { Shutdown(std::chrono::steady_clock::now()); }

void HttpServer::Serve(asio::ip::tcp::socket socket, std::string first_bytes) {
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return;  // the socket closes as it goes out of scope
    ++count_;
  }
  auto connection = std::make_shared<HttpConnection>(std::move(socket), services_, limits_,
                                                     [this](HttpConnection* closed) { Forget(closed); });
  live_.emplace(connection.get(), connection);
  connection->Start(std::move(first_bytes));
}

void HttpServer::Forget(HttpConnection* connection) {
  // The connection may be running one of its own handlers: it keeps itself alive until it returns.
  live_.erase(connection);
  std::lock_guard lock(mu_);
  --count_;
  closed_.notify_all();
}

size_t HttpServer::live_connections() const {
  std::lock_guard lock(mu_);
  return count_;
}

void HttpServer::Shutdown(std::chrono::steady_clock::time_point deadline) {
  {
    std::lock_guard lock(mu_);
    if (shut_down_ && count_ == 0) return;
    shut_down_ = true;
  }
  auto each = [this](void (HttpConnection::*action)()) {
    std::vector<std::shared_ptr<HttpConnection>> connections;
    for (const auto& [raw, connection] : live_) connections.push_back(connection);
    for (const auto& connection : connections) ((*connection).*action)();
  };
  if (!RunOn(io_, [&] { each(&HttpConnection::Drain); })) return;
  std::unique_lock lock(mu_);
  if (closed_.wait_until(lock, deadline, [this] { return count_ == 0; })) return;
  lock.unlock();
  RunOn(io_, [&] { each(&HttpConnection::Close); });
}

}  // namespace cloudstate::proxy
