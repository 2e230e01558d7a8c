#include "transcoding/stream_format.h"

#include "transcoding/json_scan.h"

namespace cloudstate::transcoding {

StreamFormat ChooseStreamFormat(const Binding& binding, std::string_view accept_header) {
  if (binding.method->output_type()->full_name() == kHttpBodyType) return StreamFormat::kRawHttpBody;
  std::string accept(accept_header);
  for (char& c : accept) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (accept.find("text/event-stream") != std::string::npos) return StreamFormat::kServerSentEvents;
  return StreamFormat::kNewlineDelimitedJson;
}

HttpResult<std::string> StreamEncoder::EncodeReply(std::string_view reply) {
  auto rendered = transcoder_.TranscodeResponse(binding_, reply);
  if (!rendered.ok()) return rendered.error();
  const bool first = first_;
  first_ = false;
  switch (format_) {
    case StreamFormat::kRawHttpBody:
      if (first && !rendered->content_type.empty()) content_type_ = rendered->content_type;
      return std::move(rendered->body);
    case StreamFormat::kServerSentEvents:
      return "data: " + rendered->body + "\n\n";
    case StreamFormat::kNewlineDelimitedJson:
      break;
  }
  return rendered->body + "\n";
}

std::string StreamEncoder::EncodeError(int grpc_code, std::string_view message) const {
  std::string error = "{\"code\":" + std::to_string(grpc_code) +
                      ",\"httpStatus\":" + std::to_string(HttpStatusForGrpcCode(grpc_code)) +
                      ",\"message\":" + JsonQuote(message) + "}";
  switch (format_) {
    case StreamFormat::kRawHttpBody: return "";
    case StreamFormat::kServerSentEvents: return "event: error\ndata: " + error + "\n\n";
    case StreamFormat::kNewlineDelimitedJson: break;
  }
  return "{\"error\":" + error + "}\n";
}

}  // namespace cloudstate::transcoding
