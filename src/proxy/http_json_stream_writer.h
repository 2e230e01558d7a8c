// The response of a server-streaming method called over HTTP/JSON, whoever produces its messages
// (an action's stream from the user function, an entity's streamed command): each message in the
// binding's stream format (transcoding/stream_format.h), the first one with the head (its metadata
// become response headers), then one write at a time, later messages queued meanwhile; after the
// last, the end of the body, with the format's error record when the call failed (a raw HttpBody
// stream, which has none, is cut short). A call that fails before any message is answered as a
// unary call would be; one that ends without any has an empty body.
// The producer hears when everything sent so far is written (to pace itself) and when nobody waits
// for more: the client went away, or asked with HEAD and has its head.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <grpcpp/grpcpp.h>

#include "cloudstate/metadata.h"
#include "cloudstate/status.h"
#include "proxy/http/http_message.h"
#include "transcoding/stream_format.h"

namespace cloudstate::proxy {

// Safe to call from any thread. The producer's callbacks run without the writer's lock and never
// within Send or Finish, so a producer may call those under its own lock.
class HttpStreamWriter final : public std::enable_shared_from_this<HttpStreamWriter> {
 public:
  struct Producer {
    // Everything sent so far is written to the client.
    std::function<void()> on_written;
    // Nobody waits for more: OK for a HEAD request whose head is out, CANCELLED when the client
    // went away. Messages sent after it are dropped.
    std::function<void(const grpc::Status& why)> on_stopped;
  };

  // `respond` answers the request; `head_only` for a HEAD request.
  HttpStreamWriter(transcoding::StreamEncoder encoder, HttpRespond respond, bool head_only);

  // Before the first Send: from now on `producer` hears of the response, and of `cancellation`
  // (may be null) — on_stopped runs within this call when the client is gone already.
  void Start(const std::shared_ptr<HttpCancellation>& cancellation, Producer producer);

  // One message (a serialized output message) and its metadata. INTERNAL when it is not a valid
  // output message: then the producer ends the call with that status.
  [[nodiscard]] std::optional<grpc::Status> Send(std::string_view message, const MetadataEntries& metadata);

  // Ends the response once the messages sent are written: `status` is how the call ended, and
  // `failure` the engine's status when a command failed (before any message went out, a user
  // function's failure is answered differently from the sidecar's own errors). Once.
  void Finish(const grpc::Status& status, const std::optional<Status>& failure = std::nullopt);

 private:
  void SendHeadLocked(HttpResponse head);
  void WriteNextLocked();
  void Opened(std::shared_ptr<HttpChunkSink> sink);
  void Written(bool ok);
  // After the head or a piece is out (or failed): what comes next. Returns the producer's callback
  // to run once the lock is released, if any.
  std::function<void()> AfterWriteLocked(bool ok);
  void EndBodyLocked(bool connection_ok);
  void Stopped();

  transcoding::StreamEncoder encoder_;
  const HttpRespond respond_;
  const bool head_only_;

  std::mutex mu_;
  Producer producer_;
  std::deque<std::string> queue_;        // encoded, waiting for the write in flight
  std::shared_ptr<HttpChunkSink> sink_;  // once the head is out
  bool head_sent_ = false;
  bool writing_ = false;   // the head or a piece is on its way; the queue is empty otherwise
  bool finished_ = false;  // Finish was called
  bool stopped_ = false;   // nobody waits for more
  bool failed_ = false;
  std::string closing_record_;
};

}  // namespace cloudstate::proxy
