#include "transcoding/json_scan.h"

namespace cloudstate::transcoding {
namespace {

constexpr int kMaxDepth = 100;

class JsonScanner {
 public:
  explicit JsonScanner(std::string_view text) : text_(text) {}

  void SkipWhitespace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  size_t pos() const { return pos_; }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  bool Consume(char c) {
    if (AtEnd() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  bool Value(int depth) {
    if (depth > kMaxDepth) return false;
    SkipWhitespace();
    switch (Peek()) {
      case '{': return Object(depth);
      case '[': return Array(depth);
      case '"': return String();
      case 't': return Word("true");
      case 'f': return Word("false");
      case 'n': return Word("null");
      default: return Number();
    }
  }

  // A string; the raw contents between the quotes go to `contents` when it is not null.
  bool String(std::string_view* contents = nullptr) {
    if (!Consume('"')) return false;
    size_t start = pos_;
    while (!AtEnd()) {
      auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        if (contents != nullptr) *contents = text_.substr(start, pos_ - start);
        ++pos_;
        return true;
      }
      if (c < 0x20) return false;
      ++pos_;
      if (c == '\\' && !Escape()) return false;
    }
    return false;
  }

  // Members of an object after its '{'; calls `member(name)` after each name and ':', which must scan the value.
  template <typename OnMember>
  bool Members(OnMember member) {
    SkipWhitespace();
    if (Consume('}')) return true;
    while (true) {
      SkipWhitespace();
      std::string_view name;
      if (!String(&name)) return false;
      SkipWhitespace();
      if (!Consume(':')) return false;
      if (!member(name)) return false;
      SkipWhitespace();
      if (Consume('}')) return true;
      if (!Consume(',')) return false;
    }
  }

 private:
  bool Object(int depth) {
    ++pos_;
    return Members([&](std::string_view) { return Value(depth + 1); });
  }

  bool Array(int depth) {
    ++pos_;
    SkipWhitespace();
    if (Consume(']')) return true;
    while (true) {
      if (!Value(depth + 1)) return false;
      SkipWhitespace();
      if (Consume(']')) return true;
      if (!Consume(',')) return false;
    }
  }

  bool Escape() {
    if (AtEnd()) return false;
    char c = text_[pos_++];
    if (c == 'u') {
      for (int i = 0; i < 4; ++i) {
        if (AtEnd() || !IsHex(text_[pos_])) return false;
        ++pos_;
      }
      return true;
    }
    return c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' || c == 't';
  }

  bool Word(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool Number() {
    Consume('-');
    if (Consume('0')) {
      // no leading zeros
    } else if (!Digits()) {
      return false;
    }
    if (Consume('.') && !Digits()) return false;
    if (Consume('e') || Consume('E')) {
      if (!Consume('+')) Consume('-');
      if (!Digits()) return false;
    }
    return true;
  }

  bool Digits() {
    size_t start = pos_;
    while (!AtEnd() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  static bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

bool IsSingleJsonValue(std::string_view text) {
  JsonScanner scanner(text);
  if (!scanner.Value(0)) return false;
  scanner.SkipWhitespace();
  return scanner.AtEnd();
}

std::optional<std::string_view> FindTopLevelMember(std::string_view object, std::string_view key) {
  JsonScanner scanner(object);
  scanner.SkipWhitespace();
  if (!scanner.Consume('{')) return std::nullopt;
  std::optional<std::string_view> found;
  bool well_formed = scanner.Members([&](std::string_view name) {
    scanner.SkipWhitespace();
    size_t start = scanner.pos();
    if (!scanner.Value(1)) return false;
    if (name == key && !found) found = object.substr(start, scanner.pos() - start);
    return true;
  });
  if (!well_formed) return std::nullopt;
  return found;
}

std::string JsonQuote(std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += kHex[(c >> 4) & 0xf];
          out += kHex[c & 0xf];
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace cloudstate::transcoding
