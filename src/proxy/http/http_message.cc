#include "proxy/http/http_message.h"

#include <cstdio>

namespace cloudstate::proxy {
namespace {

bool AtLeastHttp11(const HttpRequest& request) {
  return request.version_major > 1 || (request.version_major == 1 && request.version_minor >= 1);
}

}  // namespace

const std::string* HttpRequest::Header(std::string_view lower_case_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_case_name) return &value;
  }
  return nullptr;
}

HttpResponse HttpResponse::Text(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  response.body = std::move(body);
  return response;
}

HttpResponse HttpResponse::JsonError(int status, int grpc_code, std::string_view message) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string quoted = "\"";
  for (char c : message) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += c;
    } else if (byte < 0x20) {
      quoted += "\\u00";
      quoted += kHex[byte >> 4];
      quoted += kHex[byte & 0xf];
    } else {
      quoted += c;  // UTF-8 passes through; JSON allows it unescaped
    }
  }
  quoted += '"';
  HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/json");
  response.body = "{\"code\":" + std::to_string(grpc_code) + ",\"message\":" + quoted + "}";
  return response;
}

const char* HttpReasonPhrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

std::string SerializeHttpResponse(const HttpResponse& response, const HttpRequest& request, bool keep_alive,
                                  bool head_only) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + HttpReasonPhrase(response.status) + "\r\n";
  for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
  bool streamed = static_cast<bool>(response.stream);
  if (!streamed) {
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  } else if (ChunkedFor(request)) {
    out += "Transfer-Encoding: chunked\r\n";
  }
  // HTTP/1.1 keeps connections by default, HTTP/1.0 closes them: say so only when it differs.
  bool persistent_by_default = AtLeastHttp11(request);
  if (!keep_alive) {
    out += "Connection: close\r\n";
  } else if (!persistent_by_default) {
    out += "Connection: keep-alive\r\n";
  }
  out += "\r\n";
  if (head_only) return out;
  if (!streamed) return out + response.body;
  if (!response.body.empty()) out += FrameChunk(response.body, request);
  return out;
}

bool ChunkedFor(const HttpRequest& request) { return AtLeastHttp11(request); }

std::string FrameChunk(std::string_view piece, const HttpRequest& request) {
  if (!ChunkedFor(request)) return std::string(piece);
  if (piece.empty()) return "0\r\n\r\n";  // the last chunk, no trailers
  char size[20];
  std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
  std::string out = size;
  out.append(piece);
  out += "\r\n";
  return out;
}

}  // namespace cloudstate::proxy
