#include "proxy/http_json_stream_writer.h"

#include <utility>

#include "proxy/http_json_mapping.h"

namespace cloudstate::proxy {

HttpStreamWriter::HttpStreamWriter(transcoding::StreamEncoder encoder, HttpRespond respond, bool head_only)
    : encoder_(std::move(encoder)), respond_(std::move(respond)), head_only_(head_only) {}

void HttpStreamWriter::Start(const std::shared_ptr<HttpCancellation>& cancellation, Producer producer) {
  {
    std::lock_guard lock(mu_);
    producer_ = std::move(producer);
  }
  if (!cancellation) return;
  cancellation->OnCancel([weak = weak_from_this()] {
    if (auto writer = weak.lock()) writer->Stopped();
  });
}

std::optional<grpc::Status> HttpStreamWriter::Send(std::string_view message, const MetadataEntries& metadata) {
  std::lock_guard lock(mu_);
  if (finished_ || stopped_) return std::nullopt;
  auto encoded = encoder_.EncodeReply(message);
  if (!encoded.ok()) return grpc::Status(grpc::StatusCode::INTERNAL, encoded.error().message);
  if (!head_sent_) {
    // The content type of a raw HttpBody stream is known once the first message is encoded.
    HttpResponse head;
    head.headers.emplace_back("Content-Type", encoder_.content_type());
    AddReplyHeaders(metadata, head);
    head.body = std::move(*encoded);
    SendHeadLocked(std::move(head));
    return std::nullopt;
  }
  queue_.push_back(std::move(*encoded));
  if (!writing_ && sink_) WriteNextLocked();
  return std::nullopt;
}

void HttpStreamWriter::Finish(const grpc::Status& status, const std::optional<Status>& failure) {
  std::lock_guard lock(mu_);
  if (finished_) return;
  finished_ = true;
  // Answered even when nobody waits: a client that only shut down its sending side still reads,
  // and the connection goes on once the request is answered.
  if (!head_sent_ && !status.ok()) {
    respond_(failure ? FailedCallResponse(*failure) : FailedCallResponse(status));
  } else if (!head_sent_) {
    HttpResponse empty;  // the call ended without a message: an empty body
    empty.headers.emplace_back("Content-Type", encoder_.content_type());
    SendHeadLocked(std::move(empty));
  } else {
    failed_ = !status.ok();
    if (failed_) closing_record_ = encoder_.EncodeError(status.error_code(), status.error_message());
    if (!writing_) EndBodyLocked(true);
  }
}

void HttpStreamWriter::SendHeadLocked(HttpResponse head) {
  head_sent_ = true;
  writing_ = true;
  // Held by the server until the head is out (or dropped, if it never goes out).
  head.stream = [self = shared_from_this()](std::shared_ptr<HttpChunkSink> sink) { self->Opened(std::move(sink)); };
  respond_(std::move(head));
}

void HttpStreamWriter::WriteNextLocked() {
  writing_ = true;
  std::string piece = std::move(queue_.front());
  queue_.pop_front();
  sink_->Write(std::move(piece), [self = shared_from_this()](bool ok) { self->Written(ok); });
}

void HttpStreamWriter::Opened(std::shared_ptr<HttpChunkSink> sink) {
  std::function<void()> next;
  {
    std::lock_guard lock(mu_);
    sink_ = std::move(sink);
    next = AfterWriteLocked(true);
  }
  if (next) next();
}

void HttpStreamWriter::Written(bool ok) {
  std::function<void()> next;
  {
    std::lock_guard lock(mu_);
    next = AfterWriteLocked(ok);
  }
  if (next) next();
}

std::function<void()> HttpStreamWriter::AfterWriteLocked(bool ok) {
  writing_ = false;
  if (!ok) {
    queue_.clear();
    if (finished_) {
      EndBodyLocked(false);
      return nullptr;
    }
    if (stopped_) return nullptr;
    stopped_ = true;
    return [stopped = producer_.on_stopped] {
      if (stopped) stopped(grpc::Status(grpc::StatusCode::CANCELLED, "the client went away"));
    };
  }
  if (!queue_.empty()) {
    WriteNextLocked();
    return nullptr;
  }
  if (finished_) {
    EndBodyLocked(true);
    return nullptr;
  }
  return stopped_ ? nullptr : producer_.on_written;
}

// After the outcome: the error record (if any), then the end of the body.
void HttpStreamWriter::EndBodyLocked(bool connection_ok) {
  if (!sink_) return;
  std::shared_ptr<HttpChunkSink> sink = std::move(sink_);
  if (connection_ok && !closing_record_.empty()) {
    sink->Write(std::move(closing_record_), [sink](bool) { sink->End(); });
  } else if (failed_) {
    sink->Abort();  // a raw stream has no error record: cut it short
  } else {
    sink->End();
  }
}

void HttpStreamWriter::Stopped() {
  std::function<void(const grpc::Status&)> notify;
  grpc::Status why;
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    queue_.clear();
    if (finished_) return;
    if (!(head_only_ && head_sent_)) why = grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
    notify = producer_.on_stopped;
  }
  if (notify) notify(why);
}

}  // namespace cloudstate::proxy
