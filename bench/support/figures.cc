#include "support/figures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace cloudstate::bench {

double Median(std::vector<double> values) { return Percentile(std::move(values), 50); }

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

namespace {

std::string Format(const char* fmt, double value, const char* unit) {
  char buf[48];
  std::snprintf(buf, sizeof buf, fmt, value, unit);
  return buf;
}

// Three significant digits: 1.23, 12.3, 123.
std::string Significant(double value, const char* unit) {
  if (value >= 100) return Format("%.0f%s", value, unit);
  if (value >= 10) return Format("%.1f%s", value, unit);
  return Format("%.2f%s", value, unit);
}

}  // namespace

std::string Rate(double per_second) {
  if (per_second >= 1e6) return Significant(per_second / 1e6, "M");
  if (per_second >= 1e3) return Significant(per_second / 1e3, "k");
  return Significant(per_second, "");
}

std::string Ratio(double value, double baseline) {
  if (baseline <= 0 || value <= 0) return "-";
  return Format("%.2f%s", value / baseline, "");
}

std::string Micros(double microseconds) {
  if (microseconds >= 1000) return Significant(microseconds / 1000, "ms");
  return Significant(microseconds, "us");
}

void Table::Print(std::ostream& out) const {
  std::vector<size_t> widths(header_.size());
  auto widen = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  };
  widen(header_);
  for (const auto& row : rows_) widen(row);
  // The first column (what was measured) is left-aligned, figures right-aligned.
  auto print = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      std::string pad(widths[i] - row[i].size(), ' ');
      out << (i == 0 ? row[i] + pad : "  " + pad + row[i]);
    }
    out << '\n';
  };
  print(header_);
  size_t total = 0;
  for (size_t w : widths) total += w + 2;
  out << std::string(total - 2, '-') << '\n';
  for (const auto& row : rows_) print(row);
  out.flush();
}

}  // namespace cloudstate::bench
