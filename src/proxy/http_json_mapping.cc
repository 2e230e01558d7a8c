#include "proxy/http_json_mapping.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "proxy/grpc_status.h"

namespace cloudstate::proxy {
namespace {

// Headers of one HTTP/1.1 hop: neither the user function nor the client on the other side sees them.
constexpr std::array<std::string_view, 8> kHopHeaders = {"connection",        "keep-alive", "proxy-connection",
                                                         "transfer-encoding", "te",         "upgrade",
                                                         "content-length",    "trailer"};

bool IsHopHeader(std::string_view lower_case_name) {
  return std::find(kHopHeaders.begin(), kHopHeaders.end(), lower_case_name) != kHopHeaders.end();
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// RFC 9110 token characters.
bool IsToken(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

}  // namespace

MetadataEntries RequestMetadata(const HttpRequest& request) {
  MetadataEntries metadata;
  for (const auto& [name, value] : request.headers) {
    if (!IsHopHeader(name)) metadata.emplace_back(name, value);
  }
  return metadata;
}

void AddReplyHeaders(const MetadataEntries& metadata, HttpResponse& response) {
  for (const auto& [name, value] : metadata) {
    std::string lower = Lower(name);
    if (!IsToken(name) || IsHopHeader(lower) || lower == "content-type") continue;
    if (value.find_first_of("\r\n") != std::string::npos) continue;  // would split the response
    response.headers.emplace_back(name, value);
  }
}

HttpResponse FailedCallResponse(const Status& status) {
  if (status.code() == StatusCode::kCommandFailed) return HttpResponse::Text(500, status.message());
  return FailedCallResponse(ToGrpcStatus(status));
}

HttpResponse FailedCallResponse(const grpc::Status& status) {
  int code = status.error_code();
  return HttpResponse::JsonError(transcoding::HttpStatusForGrpcCode(code), code, status.error_message());
}

grpc::Status TranscodingErrorStatus(const transcoding::HttpError& error) {
  switch (error.status) {
    case 404: return {grpc::StatusCode::NOT_FOUND, error.message};
    case 405: return {grpc::StatusCode::UNIMPLEMENTED, error.message};
    case 500: return {grpc::StatusCode::INTERNAL, error.message};
    default: return {grpc::StatusCode::INVALID_ARGUMENT, error.message};
  }
}

HttpResponse TranscodingErrorResponse(const transcoding::HttpError& error) {
  HttpResponse response = HttpResponse::JsonError(error.status, TranscodingErrorStatus(error).error_code(), error.message);
  if (!error.allowed_methods.empty()) {
    std::string allow;
    for (const auto& method : error.allowed_methods) allow += (allow.empty() ? "" : ", ") + method;
    response.headers.emplace_back("Allow", allow);
  }
  return response;
}

}  // namespace cloudstate::proxy
