// Turning repeated measurements into the figures a benchmark prints: medians, percentiles, rates
// and ratios, formatted for a compact fixed-width table.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace cloudstate::bench {

// The machine is shared, so every figure is the median of several runs, never the best one.
double Median(std::vector<double> values);
// Nearest-rank percentile, p in [0, 100].
double Percentile(std::vector<double> values, double p);

// "412.3k", "1.24M": rates per second, three significant digits.
std::string Rate(double per_second);
// "0.87": a figure divided by its baseline.
std::string Ratio(double value, double baseline);
// "12.3us", "1.50ms".
std::string Micros(double microseconds);

// A table printed once all rows are in, each column as wide as its widest cell.
class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace cloudstate::bench
