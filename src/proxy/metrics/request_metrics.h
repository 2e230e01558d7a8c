// Per-method request metrics of the client-facing front: how many requests ended with which gRPC
// status (cloudstate_requests_total{service,method,code}) and how long they took
// (cloudstate_request_duration_seconds{service,method}, a histogram).
//
// The front resolves a MethodMetrics once per route and records every finished request on it:
//
//   RequestMetrics::MethodMetrics& m = metrics.ForMethod("com.example.Cart", "AddItem");
//   auto started = std::chrono::steady_clock::now();
//   ...
//   m.Record(grpc::StatusCode::OK, std::chrono::steady_clock::now() - started);
//
// Safe to use from any thread; MethodMetrics references stay valid as long as the RequestMetrics.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "proxy/metrics/metrics_registry.h"

namespace cloudstate::proxy {

class RequestMetrics {
 public:
  // Registers both families in `registry`, which must outlive this object.
  explicit RequestMetrics(MetricsRegistry& registry);

  class MethodMetrics {
   public:
    // `code` is a gRPC status code (0 OK .. 16 UNAUTHENTICATED); others count as UNKNOWN.
    // Lock-free once the code was seen for this method.
    void Record(int code, std::chrono::nanoseconds elapsed);
    template <typename Code>
    void Record(Code code, std::chrono::nanoseconds elapsed) {
      Record(static_cast<int>(code), elapsed);
    }

   private:
    friend class RequestMetrics;
    MethodMetrics(Family<Counter>& requests, Histogram& duration, std::string service, std::string method);

    Family<Counter>& requests_;
    Histogram& duration_;
    const std::string service_;
    const std::string method_;
    std::array<std::atomic<Counter*>, 17> by_code_{};
  };

  // The metrics of one method, created at first use (takes a lock: keep the reference).
  MethodMetrics& ForMethod(const std::string& service, const std::string& method);

  // The text of a gRPC status code as Prometheus labels show it ("OK", "NOT_FOUND", ...).
  static const char* CodeName(int code);

 private:
  Family<Counter>& requests_;
  Family<Histogram>& duration_;
  std::mutex mu_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<MethodMetrics>> methods_;
};

}  // namespace cloudstate::proxy
