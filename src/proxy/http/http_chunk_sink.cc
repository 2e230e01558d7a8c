// Streamed responses of an HttpConnection: the head goes out first, then the producer writes the
// body one piece at a time through a sink, from whatever thread it runs on. Each piece is framed and
// written on the I/O thread; the producer hears when it is out, so a slow client slows it down
// instead of filling a buffer.
#include <asio/post.hpp>
#include <asio/write.hpp>

#include "proxy/http/http_connection.h"

namespace cloudstate::proxy {

class HttpConnection::ChunkSink final : public HttpChunkSink {
 public:
  ChunkSink(std::weak_ptr<HttpConnection> connection, asio::any_io_executor executor, uint64_t sequence)
      : connection_(std::move(connection)), executor_(std::move(executor)), sequence_(sequence) {}

  void Write(std::string chunk, std::function<void(bool ok)> done) override {
    asio::post(executor_, [weak = connection_, sequence = sequence_, chunk = std::move(chunk),
                           done = std::move(done)]() mutable {
      auto connection = weak.lock();
      if (!connection) return done(false);
      connection->WriteChunk(sequence, std::move(chunk), std::move(done));
    });
  }

  void End() override {
    asio::post(executor_, [weak = connection_, sequence = sequence_] {
      if (auto connection = weak.lock()) connection->EndStream(sequence);
    });
  }

  void Abort() override {
    asio::post(executor_, [weak = connection_, sequence = sequence_] {
      auto connection = weak.lock();
      if (connection && connection->streaming_ && connection->sequence_ == sequence) connection->Close();
    });
  }

 private:
  const std::weak_ptr<HttpConnection> connection_;
  const asio::any_io_executor executor_;
  const uint64_t sequence_;
};

void HttpConnection::StartStream(uint64_t sequence, std::string head,
                                 std::function<void(std::shared_ptr<HttpChunkSink>)> stream) {
  auto data = std::make_shared<std::string>(std::move(head));
  asio::async_write(socket_, asio::buffer(*data),
                    [self = shared_from_this(), data, sequence, stream = std::move(stream)](const asio::error_code& error,
                                                                                           size_t) {
                      if (error) self->Close();
                      // Even on a closed connection: the producer learns it from its first write.
                      stream(std::make_shared<ChunkSink>(self, self->socket_.get_executor(), sequence));
                    });
}

void HttpConnection::WriteChunk(uint64_t sequence, std::string chunk, std::function<void(bool ok)> done) {
  if (closed_ || !streaming_ || sequence != sequence_) return done(false);
  if (chunk.empty()) return done(true);  // an empty chunk would end the body
  auto data = std::make_shared<std::string>(FrameChunk(chunk, *current_));
  asio::async_write(socket_, asio::buffer(*data),
                    [self = shared_from_this(), data, done = std::move(done)](const asio::error_code& error, size_t) {
                      if (error) self->Close();
                      done(!error && !self->closed_);
                    });
}

void HttpConnection::EndStream(uint64_t sequence) {
  if (closed_ || !streaming_ || sequence != sequence_) return;
  streaming_ = false;
  bool keep_alive = stream_keep_alive_ && !draining_ && !input_ended_;
  Write(FrameChunk("", *current_), !keep_alive, false);
}

}  // namespace cloudstate::proxy
