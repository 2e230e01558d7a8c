#include <google/protobuf/util/message_differencer.h>

#include "transcode_test_util.h"

using cloudstate::transcoding::Transcoder;
using cloudstate::transcoding::TranscoderOptions;
using namespace cloudstate::transcodingtest;

namespace {

struct Case {
  const char* method;
  const char* target;
  const char* content_type;
  const char* body;
  const char* expected;  // the input message as a text proto, or "400: <start of the error message>"
};

// Runs each case and compares the transcoded input message (or the error) with the expectation.
void Check(const Transcoder& transcoder, const Case* begin, const Case* end) {
  google::protobuf::DynamicMessageFactory factory;
  for (const Case* c = begin; c != end; ++c) {
    const std::string request_line = std::string(c->method) + " " + c->target + " " + c->body;
    CAPTURE(request_line);
    auto match = transcoder.Match(c->method, c->target);
    REQUIRE_MESSAGE(match.ok(), match.error().message);
    auto request = transcoder.TranscodeRequest(*match, c->content_type, c->body);
    std::string expected = c->expected;
    if (expected.rfind("400: ", 0) == 0) {
      REQUIRE_FALSE(request.ok());
      CHECK(request.error().status == 400);
      CHECK_MESSAGE(request.error().message.find(expected.substr(5)) == 0, request.error().message);
      continue;
    }
    REQUIRE_MESSAGE(request.ok(), request.error().message);
    const auto& input = *match->binding->method->input_type();
    auto want = FromText(factory, input.full_name(), expected);
    std::unique_ptr<google::protobuf::Message> got(factory.GetPrototype(&input)->New());
    REQUIRE(got->ParseFromString(*request));
    CHECK_MESSAGE(google::protobuf::util::MessageDifferencer::Equals(*want, *got), "got: " << got->ShortDebugString());
  }
}

constexpr char kJson[] = "application/json";

}  // namespace

TEST_CASE("the shopping cart's rules transcode like the original proxy") {
  const Case cases[] = {
      {"POST", "/cart/u1/items/add", kJson, R"({"productId":"p1","name":"Apple","quantity":2})",
       R"(user_id: "u1" product_id: "p1" name: "Apple" quantity: 2)"},
      {"POST", "/cart/u1/items/add", kJson, R"({"product_id":"p1","quantity":"3"})",
       R"(user_id: "u1" product_id: "p1" quantity: 3)"},
      {"POST", "/cart/u1/items/add", kJson, R"({"userId":"body","productId":"p"})",
       R"(user_id: "u1" product_id: "p")"},  // the path wins over the body
      {"POST", "/cart/u1/items/p%201/remove", "", "", R"(user_id: "u1" product_id: "p 1")"},
      {"GET", "/carts/u1", "", "", R"(user_id: "u1")"},
      {"GET", "/carts/u1/items", "", "", R"(user_id: "u1")"},
      {"POST", "/cart/u1/items/add", kJson, R"({"quantity":"many"})", "400: the JSON body is not a valid"},
      {"POST", "/cart/u1/items/add", kJson, R"({"productId":)", "400: the JSON body is not a valid"},
      {"POST", "/cart/u1/items/add", kJson, R"({"colour":"red"})", "400: the JSON body is not a valid"},
      {"POST", "/cart/u1/items/add", "application/x-www-form-urlencoded", R"({"quantity":1})",
       "400: Content-Type 'application/x-www-form-urlencoded' is not JSON"},
      {"POST", "/cart/u1/items/add", "Application/JSON; charset=utf-8", R"({"quantity":1})",
       R"(user_id: "u1" quantity: 1)"},
      {"GET", "/carts//items", "", "", "400: the entity key field 'user_id' of com.example.shoppingcart."},
  };
  Check(*MakeTranscoder(), std::begin(cases), std::end(cases));
}

TEST_CASE("query parameters fill scalars, repeated, nested, enum, int64 and well-known-type fields") {
  const Case cases[] = {
      {"GET",
       "/v1/shelves/s1/books?page.size=3&page.token=t%20x&tags=a&tags=b+c&genre=FICTION&genres=1&genres=SCIENCE"
       "&min_views=9007199254740993&available=TRUE&max_price=9.5&limit=7&min_weight=0.5&ids=1&ids=-2&by_year=1999",
       "", "",
       R"(shelf: "s1" page { size: 3 token: "t x" } tags: "a" tags: "b c" genre: FICTION genres: FICTION
          genres: SCIENCE min_views: 9007199254740993 available: true max_price: 9.5 limit: 7 min_weight: 0.5
          ids: 1 ids: -2 by_year: 1999)"},
      {"GET",
       "/v1/shelves/s1/books?after=2020-01-02T03:04:05Z&max_read_time=1.5s&edition=2&read_mask=title,author.name"
       "&token=AQID",
       "", "",
       R"(shelf: "s1" after { seconds: 1577934245 } max_read_time { seconds: 1 nanos: 500000000 }
          edition { value: 2 } read_mask { paths: "title" paths: "author.name" } token: "\001\002\003")"},
      {"GET", "/v1/shelves/s1/books?minViews=5&maxPrice=-1e3&token=-_8", "", "",
       R"(shelf: "s1" min_views: 5 max_price: -1000 token: "\373\377")"},  // JSON names, URL-safe base64
      {"GET", "/v1/shelves/s1/books?genre=7&max_price=-Infinity", "", "", R"(shelf: "s1" genre: 7 max_price: -inf)"},
      {"GET", "/v1/shelves/s1/books?shelf=other&by_title=", "", "", R"(shelf: "s1" by_title: "")"},
      {"GET", "/v1/shelves/s1/books?nope=1", "", "", "400: query parameter 'nope': unknown field 'nope'"},
      {"GET", "/v1/shelves/s1/books?page.nope=1", "", "", "400: query parameter 'page.nope': unknown field"},
      {"GET", "/v1/shelves/s1/books?tags.x=1", "", "", "400: query parameter 'tags.x': field 'tags' is repeated"},
      {"GET", "/v1/shelves/s1/books?min_views=abc", "", "", "400: query parameter 'min_views': 'abc' is not an int64"},
      {"GET", "/v1/shelves/s1/books?min_views=99999999999999999999", "", "", "400: query parameter 'min_views'"},
      {"GET", "/v1/shelves/s1/books?limit=-1", "", "", "400: query parameter 'limit': '-1' is not a uint32"},
      {"GET", "/v1/shelves/s1/books?page.size=1.5", "", "", "400: query parameter 'page.size': '1.5' is not an int32"},
      {"GET", "/v1/shelves/s1/books?min_weight=1e39", "", "", "400: query parameter 'min_weight': '1e39' is not a float"},
      {"GET", "/v1/shelves/s1/books?max_price=inf", "", "", "400: query parameter 'max_price': 'inf' is not a number"},
      {"GET", "/v1/shelves/s1/books?genre=HORROR", "", "", "400: query parameter 'genre': 'HORROR' is not a value"},
      {"GET", "/v1/shelves/s1/books?available=maybe", "", "", "400: query parameter 'available': 'maybe' is not a bool"},
      {"GET", "/v1/shelves/s1/books?token=a", "", "", "400: query parameter 'token': 'a' is not base64"},
      {"GET", "/v1/shelves/s1/books?after=yesterday", "", "", "400: query parameter 'after': 'yesterday' is not a valid"},
      {"GET", "/v1/shelves/s1/books?by_title=x&by_year=1", "", "", "400: query parameter 'by_year': field 'by_year' and"},
      {"GET", "/v1/shelves/s1/books?page.size=1&page.size=2", "", "", "400: query parameter 'page.size' is given more"},
      {"GET", "/v1/shelves/s1/books?author=x", "", "", "400: query parameter 'author' names a message field"},
      {"GET", "/v1/shelves/s1/books?labels=x", "", "", "400: query parameter 'labels' names a map field; set its"},
      {"GET", "/v1/shelves/s1/books?by_title=%zz", "", "", "400: malformed percent-encoding"},
      {"GET", "/v1/shelves/s1/books?by_title=%FF", "", "", "400: query parameter 'by_title': the value"},
  };
  Check(*MakeTranscoder(), std::begin(cases), std::end(cases));
}

TEST_CASE("map fields from the query string, as grpc-gateway reads them: name[key]=value") {
  const Case cases[] = {
      {"GET", "/v1/shelves/s1/books?labels[a]=1&labels[b]=x%20y", "", "",
       R"(shelf: "s1" labels { key: "a" value: "1" } labels { key: "b" value: "x y" })"},
      // Browsers send the brackets percent-encoded; the key may hold dots, brackets and escapes.
      {"GET", "/v1/shelves/s1/books?labels%5Bk%5D=v&labels[a.b]=1&labels[[x]]=2&labels[%2F]=3&labels[]=empty", "",
       "",
       R"(shelf: "s1" labels { key: "k" value: "v" } labels { key: "a.b" value: "1" } labels { key: "[x]" value: "2" }
          labels { key: "/" value: "3" } labels { key: "" value: "empty" })"},
      {"GET", "/v1/shelves/s1/books?genre_by_rank[1]=SCIENCE&genreByRank[-2]=1&timeouts[true]=1.5s&page.hints[p]=q",
       "", "",
       R"(shelf: "s1" genre_by_rank { key: 1 value: SCIENCE } genre_by_rank { key: -2 value: FICTION }
          timeouts { key: true value { seconds: 1 nanos: 500000000 } } page { hints { key: "p" value: "q" } })"},
      {"GET", "/v1/shelves/s1/books?labels[a]=1&labels[a]=2", "", "",
       "400: query parameter 'labels[a]' is given more than once"},
      {"GET", "/v1/shelves/s1/books?genre_by_rank[x]=SCIENCE", "", "",
       "400: query parameter 'genre_by_rank[x]': 'x' is not an int32"},
      {"GET", "/v1/shelves/s1/books?genre_by_rank[1]=HORROR", "", "",
       "400: query parameter 'genre_by_rank[1]': 'HORROR' is not a value"},
      {"GET", "/v1/shelves/s1/books?timeouts[maybe]=1s", "", "", "400: query parameter 'timeouts[maybe]': 'maybe' is"},
      {"GET", "/v1/shelves/s1/books?authors[x]=y", "", "",
       "400: query parameter 'authors[x]': the values of map field 'authors' are messages"},
      {"GET", "/v1/shelves/s1/books?tags[0]=a", "", "", "400: query parameter 'tags[0]': field 'tags' is not a map"},
      {"GET", "/v1/shelves/s1/books?nope[a]=1", "", "", "400: query parameter 'nope[a]': unknown field 'nope'"},
      {"GET", "/v1/shelves/s1/books?labels[a=1", "", "", "400: query parameter 'labels[a': unknown field 'labels[a'"},
  };
  Check(*MakeTranscoder(), std::begin(cases), std::end(cases));
}

TEST_CASE("unknown query parameters can be ignored, as grpc-gateway does") {
  const Case cases[] = {
      {"GET", "/v1/shelves/s1/books?nope=1&page.size=2", "", "", R"(shelf: "s1" page { size: 2 })"},
  };
  Check(*MakeTranscoder(TranscoderOptions{.ignore_unknown_query_parameters = true}), std::begin(cases),
        std::end(cases));
}

TEST_CASE("body \"*\": the JSON body is the message, with every well-known type; the path overrides it") {
  const char* book = R"({"shelf":"ignored","title":"T","author":{"name":"A","born":1900},"tags":["x","y"],
    "genre":"SCIENCE","ratings":{"alice":5},"pageViews":"12345678901234","isbn":"978","ebookUrl":"http://e",
    "published":"2021-01-01T00:00:00Z","readTime":"3600s","metadata":{"k":[1,"two",null,true]},"edition":3,
    "subtitle":"S","updateMask":"title,author.name","available":true,"price":1.25,"cover":"AQID","weight":2.5,
    "extra":{"@type":"type.googleapis.com/cloudstate.transcoding.test.Author","name":"X"}})";
  const Case cases[] = {
      {"PATCH", "/v1/shelves/s1/books/b1", kJson, book,
       R"(shelf: "s1" book_id: "b1" title: "T" author { name: "A" born: 1900 } tags: "x" tags: "y" genre: SCIENCE
          ratings { key: "alice" value: 5 } page_views: 12345678901234 isbn: 978 ebook_url: "http://e"
          published { seconds: 1609459200 } read_time { seconds: 3600 }
          metadata { fields { key: "k" value { list_value { values { number_value: 1 } values { string_value: "two" }
            values { null_value: NULL_VALUE } values { bool_value: true } } } } }
          edition { value: 3 } subtitle { value: "S" } update_mask { paths: "title" paths: "author.name" }
          available: true price: 1.25 cover: "\001\002\003" weight: 2.5
          extra { [type.googleapis.com/cloudstate.transcoding.test.Author] { name: "X" } })"},
      {"PUT", "/v1/shelves/s1/books/b1?title=ignored", kJson, R"({"book_id":"x","page_views":5,"hardcoverPages":7})",
       R"(shelf: "s1" book_id: "b1" page_views: 5 hardcover_pages: 7)"},
      {"PATCH", "/v1/shelves/s1/books/b1", kJson, "  \n", R"(shelf: "s1" book_id: "b1")"},
      {"PATCH", "/v1/shelves/s1/books/b1", "application/merge-patch+json", R"({"title":"M"})",
       R"(shelf: "s1" book_id: "b1" title: "M")"},
      {"POST", "/v1/shelves/s1/books/b1:publish", kJson, R"({"genre":"FICTION","page":{"size":2}})",
       R"(shelf: "s1" book_id: "b1" genre: FICTION page { size: 2 })"},
      {"DELETE", "/v1/any/s1", kJson, R"({"bookId":"b"})", R"(shelf: "s1" book_id: "b")"},
      {"POST", "/cloudstate.transcoding.test.Library/Ping", kJson, R"({"shelf":"s"})", R"(shelf: "s")"},
      {"POST", "/cloudstate.transcoding.test.Library/Ping", kJson, "{}", "400: the entity key field 'shelf'"},
      {"PATCH", "/v1/shelves/s1/books/b1", kJson, R"({"extra":{"@type":"type.googleapis.com/no.Such","a":1}})",
       "400: the JSON body is not a valid cloudstate.transcoding.test.Book"},
      {"PATCH", "/v1/shelves/s1/books/b1", kJson, R"({"ebookUrl":"a","hardcoverPages":1})",
       "400: the JSON body is not a valid"},
      {"PATCH", "/v1/shelves/s1/books/b1", kJson, R"({"genre":"HORROR"})", "400: the JSON body is not a valid"},
      {"PATCH", "/v1/shelves/s1/books/b1", kJson, R"([1,2])", "400: the JSON body is not a valid"},
      {"PATCH", "/v1/shelves/s1/books/b1", "text/plain", R"({})", "400: Content-Type 'text/plain' is not JSON"},
  };
  Check(*MakeTranscoder(), std::begin(cases), std::end(cases));
}

TEST_CASE("body \"field\": the JSON body is that field (message, repeated, map, scalar, enum, HttpBody)") {
  const Case cases[] = {
      {"POST", "/v1/shelves/s1/books", kJson, R"({"title":"T","tags":["a"]})",
       R"(shelf: "s1" book { title: "T" tags: "a" })"},
      {"POST", "/v1/shelves/s1/books?book.title=x", kJson, "{}", "400: query parameter 'book.title' names the body"},
      {"POST", "/v1/shelves/s1/books", kJson, R"({"title":1)", "400: the JSON body is not a valid"},
      {"POST", "/v1/shelves/s1/books/b1/tags?count=5&genre=SCIENCE", kJson, R"(["a","b"])",
       R"(shelf: "s1" book_id: "b1" tags: "a" tags: "b" count: 5 genre: SCIENCE)"},
      {"POST", "/v1/shelves/s1/books/b1/tags", kJson, R"(["a"], "count": 5)",
       "400: the body is not a single well-formed JSON value"},
      {"POST", "/v1/shelves/s1/books/b1/tags", kJson, R"("a")", R"(shelf: "s1" book_id: "b1" tags: "a")"},  // protobuf's leniency
      {"POST", "/v1/shelves/s1/books/b1/tags", kJson, R"([1.5])", "400: the JSON body is not a valid value for field"},
      {"POST", "/v1/shelves/s1/books/b1/ratings", kJson, R"({"x":1,"y":2})",
       R"(shelf: "s1" book_id: "b1" ratings { key: "x" value: 1 } ratings { key: "y" value: 2 })"},
      {"POST", "/v1/shelves/s1/books/b1/count", kJson, R"("9007199254740993")",
       R"(shelf: "s1" book_id: "b1" count: 9007199254740993)"},
      {"POST", "/v1/shelves/s1/books/b1/count", kJson, " 42 ", R"(shelf: "s1" book_id: "b1" count: 42)"},
      {"POST", "/v1/shelves/s1/books/b1/genre", kJson, R"("SCIENCE")", R"(shelf: "s1" book_id: "b1" genre: SCIENCE)"},
      {"POST", "/v1/shelves/s1/books/b1/count", kJson, "", R"(shelf: "s1" book_id: "b1")"},
      {"PUT", "/v1/shelves/s1/books/b1/cover", "image/png", "\x89PNG\r\n",
       R"(shelf: "s1" book_id: "b1" cover { content_type: "image/png" data: "\211PNG\r\n" })"},
      {"POST", "/v1/raw", "text/csv", "a,b\n", R"(content_type: "text/csv" data: "a,b\n")"},
      {"POST", "/v1/raw", "text/\xffcsv", "a", "400: the Content-Type header is not valid UTF-8"},
  };
  Check(*MakeTranscoder(), std::begin(cases), std::end(cases));
}

TEST_CASE("path variables: nested fields, numbers, enums, '**' captures, decoding, empty keys") {
  const Case cases[] = {
      {"GET", "/v1/shelves/s1/pages/tok/7", "", "", R"(shelf: "s1" page { token: "tok" size: 7 })"},
      {"GET", "/v1/shelves/s1/pages/tok/x", "", "", "400: path variable 'page.size': 'x' is not an int32"},
      {"GET", "/v1/shelves/s1/genres/SCIENCE", "", "", R"(shelf: "s1" genre: SCIENCE)"},
      {"GET", "/v1/shelves/s1/genres/2", "", "", R"(shelf: "s1" genre: SCIENCE)"},
      {"GET", "/v1/shelves/s1/genres/HORROR", "", "", "400: path variable 'genre': 'HORROR' is not a value"},
      {"GET", "/v1/shelves/s1/files/a/b%2Fc/d%20e", "", "", R"(shelf: "s1" path: "a/b%2Fc/d e")"},
      {"GET", "/v1/libraries/l%201/shelves/s1/books", "", "", R"(shelf: "libraries/l 1/shelves/s1")"},
      {"GET", "/v1/shelves/s1/books/%FF", "", "", "400: path variable 'book_id': the value of field 'book_id' is not"},
      {"GET", "/v1/shelves//books/b1", "", "", "400: the entity key field 'shelf'"},
      {"GET", "/v1/shelves/s1/books/b1", "", "ignored: no body in this rule", R"(shelf: "s1" book_id: "b1")"},
  };
  Check(*MakeTranscoder(), std::begin(cases), std::end(cases));
}

TEST_CASE("an empty entity key can be let through") {
  const Case cases[] = {{"GET", "/v1/shelves//books/b1", "", "", R"(book_id: "b1")"}};
  Check(*MakeTranscoder(TranscoderOptions{.reject_empty_entity_key = false}), std::begin(cases), std::end(cases));
}
