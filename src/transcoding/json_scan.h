// A strict, allocation-free JSON (RFC 8259) scanner for the two places the transcoder handles JSON
// text itself: checking that a request body is exactly one value before it is placed into a wrapper
// object, and cutting one member out of a rendered response. Protobuf's JSON mapping does all the
// converting; this only finds boundaries.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cloudstate::transcoding {

// Exactly one JSON value, with optional surrounding whitespace, nested at most 100 deep.
bool IsSingleJsonValue(std::string_view text);

// The text of the value of member `key` of the top-level object `object`; nullopt when `object` is
// not a well-formed object or has no such member. `key` is compared with the raw (unescaped) name.
std::optional<std::string_view> FindTopLevelMember(std::string_view object, std::string_view key);

// `text` as a JSON string literal, quotes included.
std::string JsonQuote(std::string_view text);

}  // namespace cloudstate::transcoding
