// How engine statuses reach gRPC clients, and gRPC statuses log lines. An entity's own failure is
// UNKNOWN with its description exactly (the reference's behaviour, which clients and the TCK rely on).
#pragma once

#include <grpcpp/grpcpp.h>

#include <string>

#include "cloudstate/status.h"

namespace cloudstate::proxy {

inline grpc::Status ToGrpcStatus(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return grpc::Status::OK;
    case StatusCode::kCommandFailed: return {grpc::StatusCode::UNKNOWN, status.message()};
    case StatusCode::kNotFound: return {grpc::StatusCode::NOT_FOUND, status.message()};
    case StatusCode::kInvalidArgument: return {grpc::StatusCode::INVALID_ARGUMENT, status.message()};
    case StatusCode::kUnavailable: return {grpc::StatusCode::UNAVAILABLE, status.message()};
    case StatusCode::kDeadlineExceeded: return {grpc::StatusCode::DEADLINE_EXCEEDED, status.message()};
    case StatusCode::kResourceExhausted: return {grpc::StatusCode::RESOURCE_EXHAUSTED, status.message()};
    case StatusCode::kConflict: return {grpc::StatusCode::ABORTED, status.message()};
    case StatusCode::kCorruption: return {grpc::StatusCode::DATA_LOSS, status.message()};
    case StatusCode::kInternal: return {grpc::StatusCode::INTERNAL, status.message()};
  }
  return {grpc::StatusCode::INTERNAL, status.message()};
}

// For log lines: "UNAVAILABLE: failed to connect", or just "OK".
inline std::string Describe(const grpc::Status& status) {
  static constexpr const char* kNames[] = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
                                           "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
                                           "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
                                           "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  int code = status.error_code();
  std::string text = code >= 0 && code < 17 ? kNames[code] : "code " + std::to_string(code);
  if (!status.error_message().empty()) text += ": " + status.error_message();
  return text;
}

}  // namespace cloudstate::proxy
