#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "transcoding/path_template.h"

using cloudstate::transcoding::ParsePathTemplate;
using cloudstate::transcoding::PathTemplate;
using cloudstate::transcoding::SegmentKind;

namespace {

// "lit:v1 one rest" style summary of the segments, then the variables as "name[begin,end)*".
std::string Shape(const PathTemplate& t) {
  std::string out;
  for (const auto& segment : t.segments) {
    if (!out.empty()) out += ' ';
    switch (segment.kind) {
      case SegmentKind::kLiteral: out += "lit:" + segment.literal; break;
      case SegmentKind::kOneSegment: out += "one"; break;
      case SegmentKind::kRestOfPath: out += "rest"; break;
    }
  }
  for (const auto& variable : t.variables) {
    std::string name;
    for (const auto& part : variable.field_path) name += (name.empty() ? "" : ".") + part;
    out += " | " + name + "[" + std::to_string(variable.begin) + "," + std::to_string(variable.end) + ")" +
           (variable.multi_segment ? "*" : "");
  }
  if (!t.verb.empty()) out += " :" + t.verb;
  return out;
}

}  // namespace

TEST_CASE("valid templates parse into segments, variables and a verb") {
  struct Case {
    const char* text;
    const char* shape;
  };
  const Case cases[] = {
      {"/", "lit:"},
      {"/cart/{user_id}/items/add", "lit:cart one lit:items lit:add | user_id[1,2)"},
      {"/v1/{name=shelves/*/books/*}", "lit:v1 lit:shelves one lit:books one | name[1,5)*"},
      {"/v1/{page.token}/{page.size}", "lit:v1 one one | page.token[1,2) | page.size[2,3)"},
      {"/files/{path=**}", "lit:files rest | path[1,2)*"},
      {"/files/**", "lit:files rest"},
      {"/a/*/b", "lit:a one lit:b"},
      {"/v1/{shelf}:watch", "lit:v1 one | shelf[1,2) :watch"},
      {"/v1/{shelf=*}", "lit:v1 one | shelf[1,2)"},
      {"/v1/{path=a/**}:get", "lit:v1 lit:a rest | path[1,3)* :get"},
      {"/v1/caf%C3%A9/x-y_z.~", "lit:v1 lit:caf%C3%A9 lit:x-y_z.~"},
  };
  for (const auto& c : cases) {
    const std::string text = c.text;
    CAPTURE(text);
    PathTemplate parsed;
    std::string error;
    REQUIRE_MESSAGE(ParsePathTemplate(c.text, &parsed, &error), error);
    CHECK(Shape(parsed) == c.shape);
  }
}

TEST_CASE("invalid templates are refused with the 1-based column of the problem") {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"no/initial/slash", "Template must start with a slash at character 1 of 'no/initial/slash'"},
      {"/{duplicated}/{duplicated}", "Duplicate path in template at character 16 of '/{duplicated}/{duplicated}'"},
      {"/foo/{bar={baz}}", "Variables may not nest at character 11"},
      {"/foo/{bar*}", "Expected '}' at character 10"},
      {"/foo/{bar", "Unexpected end of template, expected '}' at character 10"},
      {"/f*o", "Unexpected character '*' at character 3"},
      {"/foo/{bar=ba*}", "Expected '}' at character 13"},
      {"/a/**/b", "'**' is allowed only as the last segment at character 4"},
      {"/a:", "Expected a verb after ':' at character 4"},
      {"/a//b", "Unexpected character '/', expected a path segment at character 4"},
      {"/a/{1x}", "Expected a field name at character 5"},
      {"/a/{x.}", "Expected a field name at character 7"},
      {"/a/", "Unexpected end of template, expected a path segment at character 4"},
      {"/a b", "Unexpected character ' ' at character 3"},
      {"", "Template must start with a slash at character 1"},
  };
  for (const auto& c : cases) {
    const std::string text = c.text;
    CAPTURE(text);
    PathTemplate parsed;
    std::string error;
    CHECK_FALSE(ParsePathTemplate(c.text, &parsed, &error));
    CHECK(error.find(c.error) == 0);
  }
}

TEST_CASE("the shape ignores variable names but not literals, wildcards or the verb") {
  auto parse = [](const char* text) {
    PathTemplate parsed;
    std::string error;
    REQUIRE_MESSAGE(ParsePathTemplate(text, &parsed, &error), error);
    return parsed;
  };
  CHECK(parse("/a/{x}").SameShape(parse("/a/{y}")));
  CHECK(parse("/a/{x}").SameShape(parse("/a/*")));
  CHECK_FALSE(parse("/a/{x}").SameShape(parse("/b/{x}")));
  CHECK_FALSE(parse("/a/{x}").SameShape(parse("/a/{x=**}")));
  CHECK_FALSE(parse("/a/{x}").SameShape(parse("/a/{x}:v")));
  CHECK(parse("/a/b/{c}").LiteralCount() == 2);
}
