// A small metrics registry rendered in the Prometheus text format (0.0.4): counters, gauges and
// histograms with fixed buckets, optionally labelled, plus gauges and counters sampled at scrape
// time from values kept elsewhere (the engine's statistics). Updating a metric is a few relaxed
// atomic operations; finding a labelled child takes a lock, so hot paths keep the reference.
// Safe to use from any thread; metrics live as long as the registry.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cloudstate::proxy {

class Counter {
 public:
  void Increment(uint64_t by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double delta) { value_.fetch_add(delta, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // `upper_bounds` ascending; the +Inf bucket is implicit.
  explicit Histogram(std::vector<double> upper_bounds);
  void Observe(double value);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // one per upper bound, then +Inf (== count)
    double sum = 0;
  };
  // Counts read one bucket at a time: consistent with each other, not with concurrent Observe.
  Snapshot Read() const;
  const std::vector<double>& upper_bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // not cumulative; the last is +Inf
  std::atomic<double> sum_{0};
};

// Bounds for request latencies in seconds, 1 ms to 10 s.
std::vector<double> DefaultLatencyBuckets();

// What every family shares: its name, help, type and label names.
class MetricFamily {
 public:
  MetricFamily(std::string name, std::string help, std::string type, std::vector<std::string> label_names)
      : name_(std::move(name)), help_(std::move(help)), type_(std::move(type)), label_names_(std::move(label_names)) {}
  virtual ~MetricFamily() = default;

  const std::string& name() const { return name_; }
  const std::string& type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  // Appends HELP, TYPE and every sample.
  void Render(std::string& out) const;

 protected:
  using Labels = std::vector<std::pair<std::string, std::string>>;
  Labels Pair(const std::vector<std::string>& values) const;
  virtual void RenderSamples(std::string& out) const = 0;

 private:
  std::string name_;
  std::string help_;
  std::string type_;
  std::vector<std::string> label_names_;
};

// The children of one metric name, one per combination of label values.
template <typename Metric>
class Family final : public MetricFamily {
 public:
  Family(std::string name, std::string help, std::string type, std::vector<std::string> label_names,
         std::function<std::unique_ptr<Metric>()> make)
      : MetricFamily(std::move(name), std::move(help), std::move(type), std::move(label_names)),
        make_(std::move(make)) {}

  // The child for `values` (one per label name, in order), created at first use. Takes a lock.
  Metric& WithLabels(const std::vector<std::string>& values) {
    std::lock_guard lock(mu_);
    auto& slot = children_[values];
    if (!slot) slot = make_();
    return *slot;
  }
  Metric& Get() { return WithLabels({}); }

 private:
  void RenderSamples(std::string& out) const override;

  std::function<std::unique_ptr<Metric>()> make_;
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> children_;
};

// Rendering differs per kind of metric (metrics_registry.cc).
template <>
void Family<Counter>::RenderSamples(std::string& out) const;
template <>
void Family<Gauge>::RenderSamples(std::string& out) const;
template <>
void Family<Histogram>::RenderSamples(std::string& out) const;

class MetricsRegistry {
 public:
  // Names must be unique: registering a name again returns the first family when its type and
  // labels match, and aborts otherwise (two parts of the program disagree about a metric).
  // An unlabelled counter or gauge shows 0 before its first update.
  Family<Counter>& AddCounter(const std::string& name, const std::string& help,
                              std::vector<std::string> label_names = {});
  Family<Gauge>& AddGauge(const std::string& name, const std::string& help,
                          std::vector<std::string> label_names = {});
  Family<Histogram>& AddHistogram(const std::string& name, const std::string& help,
                                  std::vector<std::string> label_names, std::vector<double> upper_bounds);
  // Read by `sample` at every scrape, on the scraping thread; `sample` must be thread-safe.
  void AddSampledGauge(const std::string& name, const std::string& help, std::function<double()> sample);
  void AddSampledCounter(const std::string& name, const std::string& help, std::function<double()> sample);

  // Every family in registration order, in the text format (content type TextContentType()).
  std::string RenderText() const;
  static const char* TextContentType() { return "text/plain; version=0.0.4; charset=utf-8"; }

 private:
  template <typename F>
  F& Add(std::unique_ptr<F> family);

  mutable std::mutex mu_;
  std::vector<std::unique_ptr<MetricFamily>> families_;
};

}  // namespace cloudstate::proxy
