// The pieces of the Prometheus text exposition format (version 0.0.4) that need care: numbers,
// escaped label values and help texts. Pure functions, no I/O.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cloudstate::proxy {

// A sample value: integers without a fraction, others in the shortest form that reads back
// exactly, and "+Inf", "-Inf", "NaN".
std::string FormatSampleValue(double value);

// `{name="value",...}` with values escaped (backslash, double quote, newline); "" with no labels.
std::string FormatLabels(const std::vector<std::pair<std::string, std::string>>& labels);

// A HELP text with backslash and newline escaped.
std::string EscapeHelp(std::string_view help);

}  // namespace cloudstate::proxy
