#include "transcoding/path_template.h"

#include <algorithm>

namespace cloudstate::transcoding {
namespace {

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

// Characters that end a literal; a literal may hold anything else printable (percent escapes included).
bool EndsLiteral(char c) {
  return c == '/' || c == '{' || c == '}' || c == '*' || c == ':' || c == '=' || c == '?' || c == '#' ||
         static_cast<unsigned char>(c) <= ' ' || c == 0x7f;
}

class TemplateParser {
 public:
  TemplateParser(std::string_view text, PathTemplate* out) : text_(text), out_(out) {}

  bool Parse() {
    if (!Consume('/')) return Fail("Template must start with a slash");
    if (AtEnd()) {  // "/": the root, one empty literal segment, as the path "/" splits
      AddSegment(SegmentKind::kLiteral, "", 0);
      return true;
    }
    if (!ParseSegments(false)) return false;
    if (Consume(':')) {
      out_->verb = ReadLiteral();
      if (out_->verb.empty()) return Fail("Expected a verb after ':'");
    }
    if (pos_ != text_.size()) return Fail(std::string("Unexpected character '") + text_[pos_] + "'");
    for (size_t i = 0; i + 1 < out_->segments.size(); ++i) {
      if (out_->segments[i].kind == SegmentKind::kRestOfPath) {
        pos_ = rest_of_path_column_[i];
        return Fail("'**' is allowed only as the last segment");
      }
    }
    return true;
  }

  const std::string& error() const { return error_; }

 private:
  bool ParseSegments(bool in_variable) {
    do {
      if (!ParseSegment(in_variable)) return false;
    } while (Consume('/'));
    return true;
  }

  bool ParseSegment(bool in_variable) {
    if (Peek() == '*') {
      size_t column = pos_;
      ++pos_;
      bool rest = Consume('*');
      AddSegment(rest ? SegmentKind::kRestOfPath : SegmentKind::kOneSegment, "", column);
      return true;
    }
    if (Peek() == '{') {
      if (in_variable) return Fail("Variables may not nest");
      return ParseVariable();
    }
    size_t column = pos_;
    std::string literal = ReadLiteral();
    if (literal.empty()) {
      return Fail(AtEnd() ? "Unexpected end of template, expected a path segment"
                          : std::string("Unexpected character '") + text_[pos_] + "', expected a path segment");
    }
    AddSegment(SegmentKind::kLiteral, std::move(literal), column);
    return true;
  }

  bool ParseVariable() {
    ++pos_;  // '{'
    const size_t name_column = pos_;
    TemplateVariable variable;
    do {
      if (AtEnd() || !IsIdentStart(Peek())) return Fail("Expected a field name");
      size_t start = pos_;
      while (!AtEnd() && IsIdentChar(Peek())) ++pos_;
      variable.field_path.emplace_back(text_.substr(start, pos_ - start));
    } while (Consume('.'));
    variable.begin = out_->segments.size();
    if (Consume('=')) {
      if (!ParseSegments(true)) return false;
    } else {
      AddSegment(SegmentKind::kOneSegment, "", pos_);
    }
    if (!Consume('}')) return Fail(AtEnd() ? "Unexpected end of template, expected '}'" : "Expected '}'");
    variable.end = out_->segments.size();
    variable.multi_segment = variable.end - variable.begin > 1 ||
                             out_->segments[variable.begin].kind == SegmentKind::kRestOfPath;
    for (const auto& existing : out_->variables) {
      if (existing.field_path == variable.field_path) {
        pos_ = name_column;
        return Fail("Duplicate path in template");
      }
    }
    out_->variables.push_back(std::move(variable));
    return true;
  }

  std::string ReadLiteral() {
    size_t start = pos_;
    while (!AtEnd() && !EndsLiteral(Peek())) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  void AddSegment(SegmentKind kind, std::string literal, size_t column) {
    out_->segments.push_back(TemplateSegment{kind, std::move(literal)});
    rest_of_path_column_.push_back(column);
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  bool Consume(char c) {
    if (Peek() != c || AtEnd()) return false;
    ++pos_;
    return true;
  }
  bool Fail(const std::string& what) {
    error_ = what + " at character " + std::to_string(pos_ + 1) + " of '" + std::string(text_) + "'";
    return false;
  }

  std::string_view text_;
  PathTemplate* out_;
  size_t pos_ = 0;
  std::vector<size_t> rest_of_path_column_;  // per segment: where it started in the text
  std::string error_;
};

}  // namespace

int PathTemplate::LiteralCount() const {
  return static_cast<int>(std::count_if(segments.begin(), segments.end(),
                                        [](const TemplateSegment& s) { return s.kind == SegmentKind::kLiteral; }));
}

bool PathTemplate::SameShape(const PathTemplate& other) const {
  if (verb != other.verb || segments.size() != other.segments.size()) return false;
  for (size_t i = 0; i < segments.size(); ++i) {
    if (segments[i].kind != other.segments[i].kind || segments[i].literal != other.segments[i].literal) return false;
  }
  return true;
}

bool ParsePathTemplate(std::string_view text, PathTemplate* parsed, std::string* error) {
  *parsed = PathTemplate{};
  TemplateParser parser(text, parsed);
  if (parser.Parse()) return true;
  *error = parser.error();
  return false;
}

}  // namespace cloudstate::transcoding
