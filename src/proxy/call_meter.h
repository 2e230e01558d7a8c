// Times one client call and records how it ended in its method's request metrics, once.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>

#include "proxy/metrics/request_metrics.h"

namespace cloudstate::proxy {

class CallMeter {
 public:
  // `metrics` may be null: nothing is recorded.
  explicit CallMeter(RequestMetrics::MethodMetrics* metrics)
      : metrics_(metrics), started_(std::chrono::steady_clock::now()) {}

  CallMeter(CallMeter&& other) noexcept : metrics_(other.metrics_), started_(other.started_) {
    other.metrics_ = nullptr;
  }
  CallMeter& operator=(CallMeter&&) = delete;

  // The first call counts; the status a client gets is decided once.
  void End(const grpc::Status& status) {
    if (metrics_ == nullptr || ended_.exchange(true, std::memory_order_relaxed)) return;
    metrics_->Record(status.error_code(), std::chrono::steady_clock::now() - started_);
  }

 private:
  RequestMetrics::MethodMetrics* metrics_;
  std::chrono::steady_clock::time_point started_;
  std::atomic<bool> ended_{false};
};

}  // namespace cloudstate::proxy
