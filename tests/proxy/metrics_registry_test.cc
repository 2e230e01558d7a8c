// The metrics registry's text output (Prometheus 0.0.4): HELP/TYPE lines, labels and their
// escaping, histogram buckets, sampled values, number formatting, and concurrent updates.
#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "proxy/metrics/metrics_registry.h"
#include "proxy/metrics/prometheus_text.h"

using namespace cloudstate::proxy;

TEST_CASE("counters and gauges render with HELP, TYPE and their labels") {
  MetricsRegistry registry;
  auto& hits = registry.AddCounter("hits_total", "Hits so far.");
  auto& depth = registry.AddGauge("queue_depth", "Items waiting.", {"queue"});
  hits.Get().Increment();
  hits.Get().Increment(2);
  depth.WithLabels({"b"}).Set(2.5);
  depth.WithLabels({"a"}).Add(-1);
  CHECK(registry.RenderText() ==
        "# HELP hits_total Hits so far.\n"
        "# TYPE hits_total counter\n"
        "hits_total 3\n"
        "# HELP queue_depth Items waiting.\n"
        "# TYPE queue_depth gauge\n"
        "queue_depth{queue=\"a\"} -1\n"
        "queue_depth{queue=\"b\"} 2.5\n");
}

TEST_CASE("an unlabelled metric shows 0 before its first update; a labelled family only its header") {
  MetricsRegistry registry;
  registry.AddCounter("idle_total", "Never touched.");
  registry.AddCounter("by_kind_total", "Per kind.", {"kind"});
  CHECK(registry.RenderText() ==
        "# HELP idle_total Never touched.\n# TYPE idle_total counter\nidle_total 0\n"
        "# HELP by_kind_total Per kind.\n# TYPE by_kind_total counter\n");
}

TEST_CASE("label values and help texts are escaped") {
  MetricsRegistry registry;
  auto& family = registry.AddCounter("odd_total", "Line one\nback\\slash \"quoted\"", {"v"});
  family.WithLabels({"a\"b\\c\nd"}).Increment();
  CHECK(registry.RenderText() ==
        "# HELP odd_total Line one\\nback\\\\slash \"quoted\"\n"
        "# TYPE odd_total counter\n"
        "odd_total{v=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST_CASE("histograms render cumulative buckets, +Inf, sum and count") {
  MetricsRegistry registry;
  auto& latency = registry.AddHistogram("latency_seconds", "Latency.", {"m"}, {0.1, 0.5, 1});
  Histogram& h = latency.WithLabels({"Get"});
  for (double v : {0.05, 0.1, 0.3, 0.7, 2.0}) h.Observe(v);
  const std::string sum = FormatSampleValue(0.05 + 0.1 + 0.3 + 0.7 + 2.0);
  CHECK(registry.RenderText() ==
        "# HELP latency_seconds Latency.\n"
        "# TYPE latency_seconds histogram\n"
        "latency_seconds_bucket{m=\"Get\",le=\"0.1\"} 2\n"
        "latency_seconds_bucket{m=\"Get\",le=\"0.5\"} 3\n"
        "latency_seconds_bucket{m=\"Get\",le=\"1\"} 4\n"
        "latency_seconds_bucket{m=\"Get\",le=\"+Inf\"} 5\n"
        "latency_seconds_sum{m=\"Get\"} " + sum + "\n"
        "latency_seconds_count{m=\"Get\"} 5\n");
}

TEST_CASE("sampled metrics are read at every scrape") {
  MetricsRegistry registry;
  double value = 1;
  registry.AddSampledGauge("level", "Read when scraped.", [&] { return value; });
  registry.AddSampledCounter("done_total", "Kept elsewhere.", [] { return 42.0; });
  CHECK(registry.RenderText().find("level 1\n") != std::string::npos);
  value = 7;
  std::string text = registry.RenderText();
  CHECK(text.find("level 7\n") != std::string::npos);
  CHECK(text.find("# TYPE done_total counter\ndone_total 42\n") != std::string::npos);
}

TEST_CASE("registering a name again returns the same family") {
  MetricsRegistry registry;
  auto& first = registry.AddCounter("twice_total", "Once.", {"l"});
  auto& second = registry.AddCounter("twice_total", "Once.", {"l"});
  CHECK(&first == &second);
}

TEST_CASE("sample values: integers plain, fractions exact, infinities and NaN named") {
  CHECK(FormatSampleValue(0) == "0");
  CHECK(FormatSampleValue(12345678901234) == "12345678901234");
  CHECK(FormatSampleValue(-3) == "-3");
  CHECK(FormatSampleValue(0.001) == "0.001");
  CHECK(FormatSampleValue(2.5) == "2.5");
  CHECK(FormatSampleValue(1.0 / 0.0) == "+Inf");
  CHECK(FormatSampleValue(-1.0 / 0.0) == "-Inf");
  CHECK(FormatSampleValue(0.0 / 0.0) == "NaN");
}

TEST_CASE("concurrent updates are all counted") {
  MetricsRegistry registry;
  auto& counter = registry.AddCounter("busy_total", "Busy.", {"t"});
  auto& histogram = registry.AddHistogram("busy_seconds", "Busy.", {}, {1});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        counter.WithLabels({"x"}).Increment();
        histogram.Get().Observe(0.5);
      }
    });
  }
  std::thread scraper([&] {
    for (int i = 0; i < 100; ++i) (void)registry.RenderText();
  });
  for (auto& thread : threads) thread.join();
  scraper.join();
  CHECK(counter.WithLabels({"x"}).Value() == 40000);
  CHECK(histogram.Get().Read().cumulative.back() == 40000);
  CHECK(histogram.Get().Read().sum == 20000);
}
