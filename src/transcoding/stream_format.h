// How a server-streaming method's replies go out over one HTTP/1.1 response (chunked):
//   * newline-delimited JSON (default): Content-Type application/json, each reply's JSON on one line
//     followed by "\n" (the JSON mapping never emits a raw newline);
//   * server-sent events, when the request's Accept header lists text/event-stream: each reply as
//     "data: <json>\n\n";
//   * raw bytes, when the output type is google.api.HttpBody: each reply's data as is, under the
//     first reply's content type (application/octet-stream when it has none).
// A failure after the headers went out ends the stream with one error record:
//   {"error":{"code":<grpc code>,"httpStatus":<http>,"message":"..."}} as a line, or as an SSE event
//   named "error"; raw streams have no in-band form and are cut short.
// The same choice the original Cloudstate proxy made, so its clients work unchanged.
#pragma once

#include <string>
#include <string_view>

#include "transcoding/transcoder.h"

namespace cloudstate::transcoding {

enum class StreamFormat { kNewlineDelimitedJson, kServerSentEvents, kRawHttpBody };

StreamFormat ChooseStreamFormat(const Binding& binding, std::string_view accept_header);

// One per streamed response; not thread-safe (one stream is written from one place).
class StreamEncoder {
 public:
  StreamEncoder(const Transcoder& transcoder, const Binding& binding, StreamFormat format)
      : transcoder_(transcoder), binding_(binding), format_(format) {}

  // The response's Content-Type. For raw HttpBody streams it is known only after the first
  // EncodeReply, so send the headers after encoding the first reply.
  const std::string& content_type() const { return content_type_; }

  // The bytes to write for one reply (serialized output message); 500 when it is not valid.
  HttpResult<std::string> EncodeReply(std::string_view reply);

  // The final record for a stream that fails midway; "" for raw streams.
  std::string EncodeError(int grpc_code, std::string_view message) const;

 private:
  const Transcoder& transcoder_;
  const Binding& binding_;
  StreamFormat format_;
  bool first_ = true;
  std::string content_type_ = format_ == StreamFormat::kServerSentEvents ? "text/event-stream"
                              : format_ == StreamFormat::kRawHttpBody   ? "application/octet-stream"
                                                                        : "application/json";
};

}  // namespace cloudstate::transcoding
