#include "proxy/metrics/request_metrics.h"

namespace cloudstate::proxy {
namespace {

constexpr int kUnknown = 2;
constexpr const char* kCodeNames[17] = {
    "OK",           "CANCELLED",          "UNKNOWN",           "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",     "OUT_OF_RANGE",
    "UNIMPLEMENTED", "INTERNAL",          "UNAVAILABLE",       "DATA_LOSS",        "UNAUTHENTICATED"};

}  // namespace

RequestMetrics::RequestMetrics(MetricsRegistry& registry)
    : requests_(registry.AddCounter("cloudstate_requests_total", "Client requests finished, by method and gRPC status.",
                                    {"service", "method", "code"})),
      duration_(registry.AddHistogram("cloudstate_request_duration_seconds",
                                      "Time from a client request's arrival to its status, by method.",
                                      {"service", "method"}, DefaultLatencyBuckets())) {}

RequestMetrics::MethodMetrics& RequestMetrics::ForMethod(const std::string& service, const std::string& method) {
  std::lock_guard lock(mu_);
  auto& slot = methods_[{service, method}];
  if (!slot) {
    Histogram& duration = duration_.WithLabels({service, method});
    slot.reset(new MethodMetrics(requests_, duration, service, method));
  }
  return *slot;
}

const char* RequestMetrics::CodeName(int code) { return kCodeNames[code >= 0 && code <= 16 ? code : kUnknown]; }

RequestMetrics::MethodMetrics::MethodMetrics(Family<Counter>& requests, Histogram& duration, std::string service,
                                             std::string method)
    : requests_(requests), duration_(duration), service_(std::move(service)), method_(std::move(method)) {}

void RequestMetrics::MethodMetrics::Record(int code, std::chrono::nanoseconds elapsed) {
  if (code < 0 || code > 16) code = kUnknown;
  Counter* counter = by_code_[code].load(std::memory_order_acquire);
  if (counter == nullptr) {
    // Two threads may both look it up; the family hands both the same child.
    counter = &requests_.WithLabels({service_, method_, CodeName(code)});
    by_code_[code].store(counter, std::memory_order_release);
  }
  counter->Increment();
  duration_.Observe(std::chrono::duration<double>(elapsed).count());
}

}  // namespace cloudstate::proxy
