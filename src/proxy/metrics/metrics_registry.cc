#include "proxy/metrics/metrics_registry.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "proxy/metrics/prometheus_text.h"

namespace cloudstate::proxy {
namespace {

void AppendSample(std::string& out, const std::string& name, const std::vector<std::pair<std::string, std::string>>& labels,
                  double value) {
  out += name;
  out += FormatLabels(labels);
  out += ' ';
  out += FormatSampleValue(value);
  out += '\n';
}

// A value owned elsewhere, read at scrape time.
class SampledFamily final : public MetricFamily {
 public:
  SampledFamily(std::string name, std::string help, std::string type, std::function<double()> sample)
      : MetricFamily(std::move(name), std::move(help), std::move(type), {}), sample_(std::move(sample)) {}

 private:
  void RenderSamples(std::string& out) const override { AppendSample(out, name(), {}, sample_()); }

  std::function<double()> sample_;
};

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)), buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  std::sort(bounds_.begin(), bounds_.end());
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::Observe(double value) {
  // Bucket i counts values in (bound[i-1], bound[i]]; the last one everything above.
  size_t bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot snapshot;
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    snapshot.cumulative.push_back(running);
  }
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

std::vector<double> DefaultLatencyBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

void MetricFamily::Render(std::string& out) const {
  out += "# HELP " + name_ + ' ' + EscapeHelp(help_) + '\n';
  out += "# TYPE " + name_ + ' ' + type_ + '\n';
  RenderSamples(out);
}

MetricFamily::Labels MetricFamily::Pair(const std::vector<std::string>& values) const {
  Labels labels;
  for (size_t i = 0; i < label_names_.size() && i < values.size(); ++i) labels.emplace_back(label_names_[i], values[i]);
  return labels;
}

template <>
void Family<Counter>::RenderSamples(std::string& out) const {
  std::lock_guard lock(mu_);
  for (const auto& [values, counter] : children_) AppendSample(out, name(), Pair(values), static_cast<double>(counter->Value()));
}

template <>
void Family<Gauge>::RenderSamples(std::string& out) const {
  std::lock_guard lock(mu_);
  for (const auto& [values, gauge] : children_) AppendSample(out, name(), Pair(values), gauge->Value());
}

template <>
void Family<Histogram>::RenderSamples(std::string& out) const {
  std::lock_guard lock(mu_);
  for (const auto& [values, histogram] : children_) {
    Histogram::Snapshot snapshot = histogram->Read();
    Labels labels = Pair(values);
    const auto& bounds = histogram->upper_bounds();
    for (size_t i = 0; i <= bounds.size(); ++i) {
      Labels with_bound = labels;
      with_bound.emplace_back("le", i < bounds.size() ? FormatSampleValue(bounds[i]) : "+Inf");
      AppendSample(out, name() + "_bucket", with_bound, static_cast<double>(snapshot.cumulative[i]));
    }
    AppendSample(out, name() + "_sum", labels, snapshot.sum);
    AppendSample(out, name() + "_count", labels, static_cast<double>(snapshot.cumulative.back()));
  }
}

template <typename F>
F& MetricsRegistry::Add(std::unique_ptr<F> family) {
  std::lock_guard lock(mu_);
  for (const auto& existing : families_) {
    if (existing->name() != family->name()) continue;
    auto* same = dynamic_cast<F*>(existing.get());
    if (same == nullptr || existing->type() != family->type() || existing->label_names() != family->label_names()) {
      std::fprintf(stderr, "metric %s registered twice with different shapes\n", family->name().c_str());
      std::abort();
    }
    return *same;
  }
  F& added = *family;
  families_.push_back(std::move(family));
  return added;
}

Family<Counter>& MetricsRegistry::AddCounter(const std::string& name, const std::string& help,
                                             std::vector<std::string> label_names) {
  bool unlabelled = label_names.empty();
  auto& family = Add(std::make_unique<Family<Counter>>(name, help, "counter", std::move(label_names),
                                                       [] { return std::make_unique<Counter>(); }));
  if (unlabelled) family.Get();
  return family;
}

Family<Gauge>& MetricsRegistry::AddGauge(const std::string& name, const std::string& help,
                                         std::vector<std::string> label_names) {
  bool unlabelled = label_names.empty();
  auto& family = Add(std::make_unique<Family<Gauge>>(name, help, "gauge", std::move(label_names),
                                                     [] { return std::make_unique<Gauge>(); }));
  if (unlabelled) family.Get();
  return family;
}

Family<Histogram>& MetricsRegistry::AddHistogram(const std::string& name, const std::string& help,
                                                 std::vector<std::string> label_names,
                                                 std::vector<double> upper_bounds) {
  return Add(std::make_unique<Family<Histogram>>(
      name, help, "histogram", std::move(label_names),
      [bounds = std::move(upper_bounds)] { return std::make_unique<Histogram>(bounds); }));
}

void MetricsRegistry::AddSampledGauge(const std::string& name, const std::string& help, std::function<double()> sample) {
  Add(std::make_unique<SampledFamily>(name, help, "gauge", std::move(sample)));
}

void MetricsRegistry::AddSampledCounter(const std::string& name, const std::string& help,
                                        std::function<double()> sample) {
  Add(std::make_unique<SampledFamily>(name, help, "counter", std::move(sample)));
}

std::string MetricsRegistry::RenderText() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& family : families_) family->Render(out);
  return out;
}

}  // namespace cloudstate::proxy
