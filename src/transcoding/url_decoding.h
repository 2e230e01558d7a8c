// Decoding of the URL parts a route reads: percent-escapes in path captures and the query string.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "transcoding/http_error.h"

namespace cloudstate::transcoding {

struct PercentDecodeOptions {
  bool keep_encoded_slash = false;  // leave "%2F"/"%2f" as is (multi-segment path captures)
  bool plus_is_space = false;       // form encoding (query strings) only
};

// Nullopt when an escape is malformed ("%zz", a lone "%" at the end).
std::optional<std::string> PercentDecode(std::string_view text, PercentDecodeOptions options = {});

struct QueryParameter {
  std::string name;   // decoded, e.g. "filter.min_price"
  std::string value;  // decoded; "" for "?flag" and "?flag="
};

// "a=1&b=x%20y&a=2" in order of appearance; empty pieces ("a=1&&b=2") are skipped.
HttpResult<std::vector<QueryParameter>> ParseQueryString(std::string_view query);

bool IsValidUtf8(std::string_view text);

}  // namespace cloudstate::transcoding
