#include <doctest/doctest.h>

#include <string>

#include "transcoding/field_value.h"
#include "transcoding/http_error.h"
#include "transcoding/json_scan.h"
#include "transcoding/url_decoding.h"

using namespace cloudstate::transcoding;

TEST_CASE("percent-decoding: path segments keep '+', multi-segment captures keep %2F, forms turn '+' into ' '") {
  CHECK(PercentDecode("a%20b+c").value() == "a b+c");
  CHECK(PercentDecode("a%2Fb%2fc", {.keep_encoded_slash = true}).value() == "a%2Fb%2fc");
  CHECK(PercentDecode("a%2Fb", {}).value() == "a/b");
  CHECK(PercentDecode("a+b", {.plus_is_space = true}).value() == "a b");
  CHECK(PercentDecode("%e2%82%AC").value() == "\xe2\x82\xac");
  for (const char* bad : {"%", "%2", "%zz", "a%g1"}) {
    const std::string shown = bad;
    CAPTURE(shown);
    CHECK_FALSE(PercentDecode(bad).has_value());
  }
}

TEST_CASE("query strings split into decoded name/value pairs in order") {
  auto parsed = ParseQueryString("a=1&&b=x%20y&a=2&flag&c=d=e&");
  REQUIRE(parsed.ok());
  const std::pair<const char*, const char*> expected[] = {{"a", "1"}, {"b", "x y"}, {"a", "2"}, {"flag", ""},
                                                          {"c", "d=e"}};
  REQUIRE(parsed->size() == std::size(expected));
  for (size_t i = 0; i < parsed->size(); ++i) {
    CHECK((*parsed)[i].name == expected[i].first);
    CHECK((*parsed)[i].value == expected[i].second);
  }
  CHECK_FALSE(ParseQueryString("a=%zz").ok());
  CHECK_FALSE(ParseQueryString("=1").ok());
}

TEST_CASE("UTF-8 validation refuses overlongs, surrogates and truncated sequences") {
  CHECK(IsValidUtf8("plain"));
  CHECK(IsValidUtf8("caf\xc3\xa9 \xf0\x9f\x98\x80"));
  for (const char* bad : {"\xff", "\xc3", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"}) {
    CHECK_FALSE(IsValidUtf8(bad));
  }
}

TEST_CASE("base64: both alphabets, optional padding, nothing else") {
  std::string bytes;
  CHECK((DecodeBase64("AQID", &bytes) && bytes == "\x01\x02\x03"));
  CHECK((DecodeBase64("-_8=", &bytes) && bytes == "\xfb\xff"));
  CHECK((DecodeBase64("+/8", &bytes) && bytes == "\xfb\xff"));
  CHECK((DecodeBase64("", &bytes) && bytes.empty()));
  CHECK_FALSE(DecodeBase64("A", &bytes));
  CHECK_FALSE(DecodeBase64("AQ.D", &bytes));
}

TEST_CASE("the JSON scanner accepts exactly one well-formed value") {
  for (const char* good : {"1", " -0.5e+3 ", "\"a\\u00e9\\n\"", "[]", "{}", "[1,[2,{\"a\":null}]]", "true",
                           "{\"a\" : [ false , \"x\" ] }"}) {
    const std::string shown = good;
    CAPTURE(shown);
    CHECK(IsSingleJsonValue(good));
  }
  for (const char* bad : {"", "1 2", "[1,]", "{\"a\":1,}", "01", "1.", "-", "\"\\x\"", "\"a", "[1}", "tru",
                          "{\"a\"}", "{1:2}", "\"\x01\"", "[\"a\"], \"count\": 5", "+1", ".5", "1e"}) {
    const std::string shown = bad;
    CAPTURE(shown);
    CHECK_FALSE(IsSingleJsonValue(bad));
  }
  CHECK(IsSingleJsonValue(std::string(100, '[') + std::string(100, ']')));
  CHECK_FALSE(IsSingleJsonValue(std::string(102, '[') + std::string(102, ']')));
}

TEST_CASE("a top-level member's value is cut out of an object, nested look-alikes ignored") {
  const char* json = R"({"a":{"total":1},"s":"\"total\":2","total":"3","items":[1,{"x":2}]})";
  CHECK(FindTopLevelMember(json, "total").value() == "\"3\"");
  CHECK(FindTopLevelMember(json, "items").value() == "[1,{\"x\":2}]");
  CHECK(FindTopLevelMember(json, "a").value() == "{\"total\":1}");
  CHECK_FALSE(FindTopLevelMember(json, "x").has_value());
  CHECK_FALSE(FindTopLevelMember("[1]", "a").has_value());
  CHECK_FALSE(FindTopLevelMember("{\"a\":1", "a").has_value());
  CHECK(JsonQuote("a\"b\\c\n\x01") == "\"a\\\"b\\\\c\\n\\u0001\"");
}

TEST_CASE("gRPC status codes map to the usual HTTP statuses") {
  const std::pair<int, int> table[] = {{0, 200},  {1, 499},  {2, 500},  {3, 400},  {4, 504},  {5, 404},
                                       {6, 409},  {7, 403},  {8, 429},  {9, 400},  {10, 409}, {11, 400},
                                       {12, 501}, {13, 500}, {14, 503}, {15, 500}, {16, 401}, {17, 500},
                                       {-1, 500}};
  for (const auto& [grpc, http] : table) {
    CAPTURE(grpc);
    CHECK(HttpStatusForGrpcCode(grpc) == http);
  }
  CHECK(std::string(HttpReasonPhrase(405)) == "Method Not Allowed");
  CHECK(std::string(HttpReasonPhrase(299)).empty());
}
