// RouteTable::Match: the request line to a binding and its captured, percent-decoded variables.
// Matching works on the raw path, segment by segment, so an encoded "/" (%2F) never splits one.
#include <algorithm>

#include "transcoding/route_table.h"
#include "transcoding/url_decoding.h"

namespace cloudstate::transcoding {
namespace {

struct PathView {
  std::vector<std::string_view> segments;
  std::string_view verb;  // empty when this reading has no verb
};

std::vector<std::string_view> SplitSegments(std::string_view path) {
  std::vector<std::string_view> segments;
  path.remove_prefix(1);  // the leading '/'
  while (true) {
    size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return segments;
    path.remove_prefix(slash + 1);
  }
}

bool MatchesSegments(const PathTemplate& tmpl, const std::vector<std::string_view>& segments) {
  const auto& pattern = tmpl.segments;
  if (tmpl.EndsWithRestOfPath() ? segments.size() < pattern.size() - 1 : segments.size() != pattern.size()) {
    return false;
  }
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i].kind == SegmentKind::kLiteral && pattern[i].literal != segments[i]) return false;
  }
  return true;
}

int SegmentRank(SegmentKind kind) {
  switch (kind) {
    case SegmentKind::kLiteral: return 2;
    case SegmentKind::kOneSegment: return 1;
    case SegmentKind::kRestOfPath: return 0;
  }
  return 0;
}

// True when `a` should win over `b` (both match the request); the order of route_table.h.
bool Preferred(const Binding& a, const Binding& b) {
  bool a_exact = a.http_method != "*", b_exact = b.http_method != "*";
  if (a_exact != b_exact) return a_exact;
  int a_literals = a.path_template.LiteralCount(), b_literals = b.path_template.LiteralCount();
  if (a_literals != b_literals) return a_literals > b_literals;
  const auto& sa = a.path_template.segments;
  const auto& sb = b.path_template.segments;
  for (size_t i = 0; i < std::min(sa.size(), sb.size()); ++i) {
    int ra = SegmentRank(sa[i].kind), rb = SegmentRank(sb[i].kind);
    if (ra != rb) return ra > rb;
  }
  return a.order < b.order;
}

// The captured text of each variable, decoded; false on a malformed escape.
bool CaptureVariables(const Binding& binding, const std::vector<std::string_view>& segments,
                      std::vector<Capture>* out, std::string* bad) {
  const PathTemplate& tmpl = binding.path_template;
  for (size_t v = 0; v < tmpl.variables.size(); ++v) {
    const TemplateVariable& variable = tmpl.variables[v];
    size_t end = variable.end == tmpl.segments.size() && tmpl.EndsWithRestOfPath() ? segments.size() : variable.end;
    std::string raw;
    for (size_t i = variable.begin; i < end; ++i) {
      if (i > variable.begin) raw += '/';
      raw.append(segments[i]);
    }
    auto decoded = PercentDecode(raw, {.keep_encoded_slash = variable.multi_segment, .plus_is_space = false});
    if (!decoded) return *bad = raw, false;
    out->push_back(Capture{&binding.variable_fields[v], std::move(*decoded)});
  }
  return true;
}

}  // namespace

HttpResult<RouteMatch> RouteTable::Match(std::string_view http_method, std::string_view target) const {
  target = target.substr(0, target.find('#'));
  size_t question = target.find('?');
  std::string_view path = target.substr(0, question);
  std::string_view query = question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  HttpError not_found{404, "no HTTP route matches " + std::string(path), {}};
  if (path.empty() || path.front() != '/') return not_found;

  // Readings of the path: with the text after the last ':' of the last segment as the verb, then
  // with the colon as part of the segment. The first reading any binding matches is used.
  PathView whole{SplitSegments(path), {}};
  std::vector<PathView> readings;
  const std::string_view last = whole.segments.back();
  if (size_t colon = last.rfind(':'); colon != std::string_view::npos) {
    PathView with_verb = whole;
    with_verb.segments.back() = last.substr(0, colon);
    with_verb.verb = last.substr(colon + 1);
    readings.push_back(std::move(with_verb));
  }
  readings.push_back(std::move(whole));

  std::vector<std::string> allowed;  // methods of bindings that match the path under any reading
  for (const PathView& reading : readings) {
    const Binding* best = nullptr;
    for (const Binding& binding : bindings_) {
      if (binding.path_template.verb != reading.verb || !MatchesSegments(binding.path_template, reading.segments)) {
        continue;
      }
      if (binding.http_method != "*" && binding.http_method != http_method) {
        allowed.push_back(binding.http_method);
        continue;
      }
      if (best == nullptr || Preferred(binding, *best)) best = &binding;
    }
    if (best != nullptr) {
      RouteMatch match{best, {}, query};
      std::string bad;
      if (!CaptureVariables(*best, reading.segments, &match.captures, &bad)) {
        return BadRequest("malformed percent-encoding in path segment '" + bad + "'");
      }
      return match;
    }
  }
  if (allowed.empty()) return not_found;
  std::sort(allowed.begin(), allowed.end());
  allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
  std::string list;
  for (const auto& method : allowed) list += (list.empty() ? "" : ", ") + method;
  return HttpError{405, "method " + std::string(http_method) + " is not allowed for " + std::string(path) + "; allowed: " + list,
                   std::move(allowed)};
}

}  // namespace cloudstate::transcoding
