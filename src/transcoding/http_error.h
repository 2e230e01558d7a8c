// How the transcoder reports a request it cannot serve: the HTTP status to answer with and a message
// a person can act on. Also the usual gRPC-status -> HTTP-status table for replies that failed.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cloudstate::transcoding {

struct HttpError {
  int status = 400;     // 400 bad request, 404 no route, 405 wrong method, 500 bad reply bytes
  std::string message;  // plain text, safe to send to the client
  std::vector<std::string> allowed_methods;  // for 405: the value of the Allow header, sorted
};

// A value or the HttpError explaining why there is none.
template <typename T>
class [[nodiscard]] HttpResult {
 public:
  HttpResult(T value) : value_(std::move(value)) {}       // NOLINT: implicit by design
  HttpResult(HttpError error) : error_(std::move(error)) {}  // NOLINT

  bool ok() const { return value_.has_value(); }
  const HttpError& error() const { assert(!ok()); return error_; }

  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  HttpError error_;
  std::optional<T> value_;
};

inline HttpError BadRequest(std::string message) { return HttpError{400, std::move(message), {}}; }

// The HTTP status for a gRPC status code (0 OK .. 16 UNAUTHENTICATED), as grpc-gateway and Google's
// API design guide map them; unknown codes are 500.
int HttpStatusForGrpcCode(int grpc_code);

// The reason phrase for the statuses this library and its caller use ("Not Found"); "" if unknown.
const char* HttpReasonPhrase(int http_status);

}  // namespace cloudstate::transcoding
