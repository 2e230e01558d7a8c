#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "test_pool.h"
#include "transcoding/route_table.h"

using cloudstate::transcoding::RouteTable;
using cloudstate::transcoding::RouteTableOptions;
using namespace cloudstate::transcodingtest;

namespace {

RouteTable Build(const std::vector<std::string>& services, std::vector<std::string>* errors,
                 RouteTableOptions options = {}) {
  return RouteTable::Build(TestPool(), services, options, errors);
}

// "Method name=value name=value" for a match, "404" / "405 GET,POST" / "400" otherwise.
std::string Outcome(const RouteTable& table, const char* method, const char* target) {
  auto match = table.Match(method, target);
  if (!match.ok()) {
    std::string out = std::to_string(match.error().status);
    for (size_t i = 0; i < match.error().allowed_methods.size(); ++i) {
      out += (i == 0 ? " " : ",") + match.error().allowed_methods[i];
    }
    return out;
  }
  std::string out = match->binding->method->name();
  for (const auto& capture : match->captures) {
    std::string name;
    for (const auto* field : *capture.field) name += (name.empty() ? "" : ".") + field->name();
    out += " " + name + "=" + capture.value;
  }
  if (!match->query.empty()) out += " ?" + std::string(match->query);
  return out;
}

}  // namespace

TEST_CASE("every annotated binding of the test API builds without errors") {
  std::vector<std::string> errors;
  RouteTable table = Build({kLibrary, kShoppingCart}, &errors);
  for (const auto& error : errors) MESSAGE(error);
  CHECK(errors.empty());
  // Library: 16 methods, 27 bindings (ListBooks 7, SetTags 4, UpdateBook 2, AnyMethod 2, Ping's
  // implicit one, one each for the rest); the cart: 3 methods, 4 bindings.
  CHECK(table.bindings().size() == 31);
}

TEST_CASE("invalid and conflicting bindings are reported by method, and only they are skipped") {
  std::vector<std::string> errors;
  RouteTable table = Build({kBrokenRules, "no.such.Service"}, &errors);
  const std::vector<std::string> expected = {
      "method cloudstate.transcoding.test.BrokenRules.UnknownField binding GET /v1/broken/{no_such_field}: unknown "
      "field 'no_such_field' in type cloudstate.transcoding.test.BookQuery",
      "method cloudstate.transcoding.test.BrokenRules.RepeatedVariable binding GET /v1/broken/{tags}: path variable "
      "'tags' is a repeated field",
      "method cloudstate.transcoding.test.BrokenRules.MessageVariable binding GET /v1/broken/{author}: path variable "
      "'author' is a message field (cloudstate.transcoding.test.Author)",
      "method cloudstate.transcoding.test.BrokenRules.BadTemplate binding GET /v1/broken/{shelf: Unexpected end of "
      "template, expected '}' at character 18",
      "method cloudstate.transcoding.test.BrokenRules.MissingBodyField binding POST /v1/broken/body: body field "
      "'nothing' does not exist on cloudstate.transcoding.test.BookQuery",
      "method cloudstate.transcoding.test.BrokenRules.MissingResponseField binding GET /v1/broken/response: "
      "response_body field 'nothing' does not exist on cloudstate.transcoding.test.Book",
      "method cloudstate.transcoding.test.BrokenRules.WrongSelector binding GET /v1/broken/selector: selector "
      "'some.Other.Method' must be empty",
      "method cloudstate.transcoding.test.BrokenRules.NoPattern: the rule sets no pattern",
      "method cloudstate.transcoding.test.BrokenRules.NestedAdditional: additional_bindings may not have "
      "additional_bindings",
      "method cloudstate.transcoding.test.BrokenRules.RestNotLast binding GET /v1/broken/**/tail: '**' is allowed "
      "only as the last segment",
      "method cloudstate.transcoding.test.BrokenRules.SecondOfConflict binding GET /v1/conflict/{book_id}: conflicts "
      "with GET /v1/conflict/{shelf} (cloudstate.transcoding.test.BrokenRules.FirstOfConflict)",
      "service no.such.Service is not in the descriptor pool",
  };
  REQUIRE(errors.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(errors[i]);
    CHECK(errors[i].rfind("HTTP API Config: ", 0) == 0);
    CHECK(errors[i].find(expected[i]) != std::string::npos);
  }
  // What survives: NestedAdditional's own rule, FirstOfConflict.
  CHECK(Outcome(table, "GET", "/v1/broken/nested") == "NestedAdditional");
  CHECK(Outcome(table, "GET", "/v1/conflict/s1") == "FirstOfConflict shelf=s1");
  CHECK(table.bindings().size() == 2);
}

TEST_CASE("requests match the binding and capture its variables") {
  std::vector<std::string> errors;
  RouteTable table = Build({kLibrary, kShoppingCart}, &errors);
  struct Case {
    const char* method;
    const char* target;
    const char* outcome;
  };
  const Case cases[] = {
      // The shopping cart's rules.
      {"POST", "/cart/u1/items/add", "AddItem user_id=u1"},
      {"POST", "/cart/u1/items/p1/remove", "RemoveItem user_id=u1 product_id=p1"},
      {"GET", "/carts/u1", "GetCart user_id=u1"},
      {"GET", "/carts/u1/items", "GetCart user_id=u1"},
      // get, post, put, patch, delete, custom.
      {"GET", "/v1/shelves/s1/books/b1", "GetBook shelf=s1 book_id=b1"},
      {"PATCH", "/v1/shelves/s1/books/b1", "UpdateBook shelf=s1 book_id=b1"},
      {"PUT", "/v1/shelves/s1/books/b1", "UpdateBook shelf=s1 book_id=b1"},
      {"DELETE", "/v1/shelves/s1/books/b1", "DeleteBook shelf=s1 book_id=b1"},
      {"POST", "/v1/shelves/s1/books", "CreateBook shelf=s1"},
      {"SEARCH", "/v1/shelves/s1/search", "AnyMethod shelf=s1"},
      {"OPTIONS", "/v1/any/s1", "AnyMethod shelf=s1"},
      {"GET", "/v1/any/s1", "AnyMethod shelf=s1"},
      // The implicit binding of a method without a rule.
      {"POST", "/cloudstate.transcoding.test.Library/Ping", "Ping"},
      // Query strings are kept raw for the request transcoder; fragments are dropped.
      {"GET", "/v1/shelves/s1/books?page.size=3&tags=a#top", "ListBooks shelf=s1 ?page.size=3&tags=a"},
      // Multi-segment captures, nested field paths, "**" keeping its slashes.
      {"GET", "/v1/libraries/l1/shelves/s1/books", "ListBooks shelf=libraries/l1/shelves/s1"},
      {"GET", "/v1/shelves/s1/pages/tok/7", "BookPage shelf=s1 page.token=tok page.size=7"},
      {"GET", "/v1/shelves/s1/files/a/b/c.txt", "GetFile shelf=s1 path=a/b/c.txt"},
      {"GET", "/v1/shelves/s1/files/", "GetFile shelf=s1 path="},
      // Custom verbs, and a colon that is no verb.
      {"GET", "/v1/shelves/s1:watch", "WatchShelf shelf=s1"},
      {"POST", "/v1/shelves/s1/books/b1:publish", "PublishBook shelf=s1 book_id=b1"},
      {"GET", "/v1/shelves/s1/books:count", "ListBooks shelf=s1"},
      {"GET", "/v1/shelves/s1/books/b:1", "GetBook shelf=s1 book_id=b:1"},
      {"GET", "/v1/shelves/s1:unknownverb", "404"},
      // Percent-decoding: single segments fully, multi-segment captures keep %2F.
      {"GET", "/v1/shelves/a%2Fb/books/caf%C3%A9", "GetBook shelf=a/b book_id=café"},
      {"GET", "/v1/shelves/s1/books/a+b", "GetBook shelf=s1 book_id=a+b"},
      {"GET", "/v1/shelves/s1/files/x%2Fy/z%20w", "GetFile shelf=s1 path=x%2Fy/z w"},
      {"GET", "/v1/shelves/s1/books/bad%zz", "400"},
      // 404 and 405.
      {"GET", "/nowhere", "404"},
      {"GET", "", "404"},
      {"GET", "relative/path", "404"},
      {"GET", "/v1/shelves/s1/books/b1/extra/segments", "404"},
      {"GET", "/cart/u1/items/add", "405 POST"},
      {"POST", "/v1/shelves/s1/books/b1", "405 DELETE,GET,PATCH,PUT"},
      {"get", "/carts/u1", "405 GET"},
  };
  for (const auto& c : cases) {
    const std::string request_line = std::string(c.method) + " " + c.target;
    CAPTURE(request_line);
    CHECK(Outcome(table, c.method, c.target) == c.outcome);
  }
}

TEST_CASE("precedence: exact method, then more literals, then literals first from the left") {
  std::vector<std::string> errors;
  RouteTable table = Build({"cloudstate.transcoding.test.Overlaps"}, &errors);
  CHECK(errors.empty());
  struct Case {
    const char* method;
    const char* target;
    const char* outcome;
  };
  const Case cases[] = {
      {"GET", "/v2/a/b", "ByVariables shelf=a book_id=b"},           // exact method beats custom "*"
      {"POST", "/v2/a/b", "ByAnyMethod shelf=a book_id=b"},          // only "*" takes POST
      {"GET", "/v2/a/fixed", "ByLiteralRight shelf=a"},              // two literals beat one
      {"GET", "/v2/fixed/fixed", "ByLiteralLeft book_id=fixed"},     // equal counts: leftmost literal wins
      {"GET", "/v2/fixed/b", "ByLiteralLeft book_id=b"},
      {"GET", "/v2/a/b/c", "ByRestOfPath shelf=a path=b/c"},         // only "**" spans segments
      {"GET", "/v2/a", "ByRestOfPath shelf=a path="},                // "**" matches zero segments
      {"DELETE", "/v2/a/b/c", "405 GET"},
  };
  for (const auto& c : cases) {
    const std::string target = c.target;
    CAPTURE(target);
    CHECK(Outcome(table, c.method, c.target) == c.outcome);
  }
}

TEST_CASE("the implicit POST binding can be turned off") {
  std::vector<std::string> errors;
  RouteTable table = Build({kLibrary}, &errors, RouteTableOptions{.default_post_bindings = false});
  CHECK(Outcome(table, "POST", "/cloudstate.transcoding.test.Library/Ping") == "404");
}
