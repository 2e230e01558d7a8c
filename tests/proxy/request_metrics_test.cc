// The per-method request metrics the gRPC front records into: counts by status code and latency
// histograms, as they appear on /metrics.
#include <doctest/doctest.h>

#include <grpcpp/support/status_code_enum.h>

#include <thread>
#include <vector>

#include "proxy/metrics/metrics_registry.h"
#include "proxy/metrics/prometheus_text.h"
#include "proxy/metrics/request_metrics.h"

using namespace cloudstate::proxy;
using namespace std::chrono_literals;

namespace {

bool Has(const std::string& text, const std::string& line) { return text.find(line + "\n") != std::string::npos; }

}  // namespace

TEST_CASE("requests are counted by service, method and code, with their latency") {
  MetricsRegistry registry;
  RequestMetrics metrics(registry);
  RequestMetrics::MethodMetrics& add = metrics.ForMethod("com.example.Cart", "AddItem");
  add.Record(grpc::StatusCode::OK, 3ms);
  add.Record(grpc::StatusCode::OK, 30ms);
  add.Record(grpc::StatusCode::NOT_FOUND, 2s);
  metrics.ForMethod("com.example.Cart", "GetCart").Record(0, 20us);
  CHECK(&metrics.ForMethod("com.example.Cart", "AddItem") == &add);

  std::string text = registry.RenderText();
  CHECK(Has(text, "# TYPE cloudstate_requests_total counter"));
  CHECK(Has(text, "cloudstate_requests_total{service=\"com.example.Cart\",method=\"AddItem\",code=\"OK\"} 2"));
  CHECK(Has(text, "cloudstate_requests_total{service=\"com.example.Cart\",method=\"AddItem\",code=\"NOT_FOUND\"} 1"));
  CHECK(Has(text, "cloudstate_requests_total{service=\"com.example.Cart\",method=\"GetCart\",code=\"OK\"} 1"));
  CHECK(Has(text, "# TYPE cloudstate_request_duration_seconds histogram"));
  CHECK(Has(text, "cloudstate_request_duration_seconds_bucket{service=\"com.example.Cart\",method=\"AddItem\",le=\"0.001\"} 0"));
  CHECK(Has(text, "cloudstate_request_duration_seconds_bucket{service=\"com.example.Cart\",method=\"AddItem\",le=\"0.005\"} 1"));
  CHECK(Has(text, "cloudstate_request_duration_seconds_bucket{service=\"com.example.Cart\",method=\"AddItem\",le=\"0.05\"} 2"));
  CHECK(Has(text, "cloudstate_request_duration_seconds_bucket{service=\"com.example.Cart\",method=\"AddItem\",le=\"2.5\"} 3"));
  CHECK(Has(text, "cloudstate_request_duration_seconds_bucket{service=\"com.example.Cart\",method=\"AddItem\",le=\"+Inf\"} 3"));
  CHECK(Has(text, "cloudstate_request_duration_seconds_count{service=\"com.example.Cart\",method=\"AddItem\"} 3"));
  CHECK(Has(text, "cloudstate_request_duration_seconds_sum{service=\"com.example.Cart\",method=\"AddItem\"} " +
                      FormatSampleValue(0.003 + 0.03 + 2.0)));
  CHECK(Has(text, "cloudstate_request_duration_seconds_count{service=\"com.example.Cart\",method=\"GetCart\"} 1"));
}

TEST_CASE("a code outside gRPC's range counts as UNKNOWN") {
  MetricsRegistry registry;
  RequestMetrics metrics(registry);
  metrics.ForMethod("s", "m").Record(99, 1ms);
  metrics.ForMethod("s", "m").Record(-1, 1ms);
  CHECK(Has(registry.RenderText(), "cloudstate_requests_total{service=\"s\",method=\"m\",code=\"UNKNOWN\"} 2"));
  CHECK(std::string(RequestMetrics::CodeName(14)) == "UNAVAILABLE");
}

TEST_CASE("concurrent recording from many threads loses nothing") {
  MetricsRegistry registry;
  RequestMetrics metrics(registry);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto& method = metrics.ForMethod("s", "m");
      for (int i = 0; i < 5000; ++i) method.Record(i % 2 == 0 ? 0 : 14, std::chrono::microseconds(t));
    });
  }
  for (auto& thread : threads) thread.join();
  std::string text = registry.RenderText();
  CHECK(Has(text, "cloudstate_requests_total{service=\"s\",method=\"m\",code=\"OK\"} 10000"));
  CHECK(Has(text, "cloudstate_requests_total{service=\"s\",method=\"m\",code=\"UNAVAILABLE\"} 10000"));
  CHECK(Has(text, "cloudstate_request_duration_seconds_count{service=\"s\",method=\"m\"} 20000"));
}
