// A google.api.HttpRule path template, parsed: "/v1/{name=shelves/*/books/*}:publish".
//   Template = "/" Segments [ ":" Verb ]      Segments = Segment { "/" Segment }
//   Segment  = "*" | "**" | LITERAL | Variable   Variable = "{" FieldPath [ "=" Segments ] "}"
//   FieldPath = IDENT { "." IDENT }
// `**` may only be the last segment; variables do not nest; a field appears at most once.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cloudstate::transcoding {

enum class SegmentKind {
  kLiteral,      // matches itself
  kOneSegment,   // "*": exactly one path segment, possibly empty
  kRestOfPath,   // "**": zero or more segments, always last
};

struct TemplateSegment {
  SegmentKind kind = SegmentKind::kLiteral;
  std::string literal;  // for kLiteral, compared with the raw (still percent-encoded) path segment
};

struct TemplateVariable {
  std::vector<std::string> field_path;  // "a.b" -> {"a", "b"}
  size_t begin = 0;                      // the template segments it captures: [begin, end)
  size_t end = 0;
  // More than one segment or a "**": the capture may contain "/", and "%2F" stays encoded in it.
  bool multi_segment = false;
};

struct PathTemplate {
  std::vector<TemplateSegment> segments;
  std::vector<TemplateVariable> variables;
  std::string verb;  // without the ':'; empty when the template has none

  int LiteralCount() const;
  bool EndsWithRestOfPath() const {
    return !segments.empty() && segments.back().kind == SegmentKind::kRestOfPath;
  }
  // Same segments and verb, whatever the variables are named: two such templates match the same paths.
  bool SameShape(const PathTemplate& other) const;
};

// False with `error` naming the 1-based column of the problem when `text` is not a valid template.
bool ParsePathTemplate(std::string_view text, PathTemplate* parsed, std::string* error);

}  // namespace cloudstate::transcoding
