#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include "transcode_test_util.h"

using cloudstate::transcoding::Transcoder;
using cloudstate::transcoding::TranscoderOptions;
using namespace cloudstate::transcodingtest;

namespace {

struct Case {
  const char* method;
  const char* target;
  const char* reply;     // the output message as a text proto
  const char* expected;  // the response body
};

// Equal as JSON values: member order aside, strings ("0") and numbers (0) still differ.
bool SameJson(const std::string& got, const std::string& want) {
  google::protobuf::Value got_value, want_value;
  REQUIRE_MESSAGE(google::protobuf::util::JsonStringToMessage(got, &got_value).ok(), got);
  REQUIRE_MESSAGE(google::protobuf::util::JsonStringToMessage(want, &want_value).ok(), want);
  bool same = google::protobuf::util::MessageDifferencer::Equals(got_value, want_value);
  if (!same) MESSAGE("got:  " << got << "\nwant: " << want);
  return same;
}

void Check(const Transcoder& transcoder, const Case* begin, const Case* end) {
  google::protobuf::DynamicMessageFactory factory;
  for (const Case* c = begin; c != end; ++c) {
    const std::string request_line = std::string(c->method) + " " + c->target + " <- " + c->reply;
    CAPTURE(request_line);
    auto match = transcoder.Match(c->method, c->target);
    REQUIRE_MESSAGE(match.ok(), match.error().message);
    auto reply = FromText(factory, match->binding->method->output_type()->full_name(), c->reply);
    auto rendered = transcoder.TranscodeResponse(*match->binding, reply->SerializeAsString());
    REQUIRE_MESSAGE(rendered.ok(), rendered.error().message);
    CHECK(rendered->content_type == "application/json");
    CHECK(SameJson(rendered->body, c->expected));
  }
}

}  // namespace

TEST_CASE("replies render with default values, as the original proxy did") {
  const Case cases[] = {
      {"GET", "/carts/u1", "", R"({"items":[]})"},
      {"GET", "/carts/u1", R"(items { product_id: "p1" name: "Apple" quantity: 2 })",
       R"({"items":[{"productId":"p1","name":"Apple","quantity":2}]})"},
      {"GET", "/carts/u1", R"(items { product_id: "p1" })", R"({"items":[{"productId":"p1","name":"","quantity":0}]})"},
      {"GET", "/carts/u1/items", R"(items { product_id: "p1" quantity: 1 } items { product_id: "p2" })",
       R"([{"productId":"p1","name":"","quantity":1},{"productId":"p2","name":"","quantity":0}])"},
      {"GET", "/carts/u1/items", "", "[]"},
      {"POST", "/cart/u1/items/add", "", "{}"},
      {"GET", "/v1/shelves/s1/books/b1",
       R"(shelf: "s1" page_views: 9007199254740993 genre: SCIENCE hardcover_pages: 0
          published { seconds: 1609459200 nanos: 5000000 } read_time { seconds: 90 } edition { value: 0 }
          update_mask { paths: "author.name" } metadata { fields { key: "k" value { bool_value: true } } }
          extra { [type.googleapis.com/cloudstate.transcoding.test.Author] { name: "X" } }
          ratings { key: "a" value: 1 } cover: "\001\002\003" price: 0.5)",
       R"({"shelf":"s1","bookId":"","title":"","tags":[],"genre":"SCIENCE","ratings":{"a":1},)"
       R"("pageViews":"9007199254740993","isbn":"0","hardcoverPages":0,"published":"2021-01-01T00:00:00.005Z",)"
       R"("readTime":"90s","metadata":{"k":true},"edition":0,"updateMask":"author.name",)"
       R"("extra":{"@type":"type.googleapis.com/cloudstate.transcoding.test.Author","name":"X","born":0},)"
       R"("available":false,"price":0.5,"cover":"AQID","weight":0})"},
  };
  Check(*MakeTranscoder(), std::begin(cases), std::end(cases));
}

TEST_CASE("default values can be left out, and proto field names used") {
  const Case cases[] = {
      {"GET", "/carts/u1", "", "{}"},
      {"GET", "/carts/u1", R"(items { product_id: "p1" })", R"({"items":[{"product_id":"p1"}]})"},
      {"GET", "/carts/u1/items", "", "[]"},
  };
  Check(*MakeTranscoder(TranscoderOptions{.emit_default_values = false, .use_proto_field_names = true}),
        std::begin(cases), std::end(cases));
}

TEST_CASE("response_body selects one field: scalar, int64, repeated, map, message, oneof member") {
  const Case cases[] = {
      {"GET", "/v1/shelves/s1/books:count", R"(total: 12345678901234 next_page_token: "n")", R"("12345678901234")"},
      {"GET", "/v1/shelves/s1/books:count", "", R"("0")"},
      {"GET", "/v1/shelves/s1/books:names", R"(books { title: "A" } books { title: "B" tags: "t" } total: 2)",
       R"([{"shelf":"","bookId":"","title":"A","tags":[],"genre":"GENRE_UNSPECIFIED","ratings":{},"pageViews":"0",)"
       R"("isbn":"0","available":false,"price":0,"cover":"","weight":0},{"shelf":"","bookId":"","title":"B",)"
       R"("tags":["t"],"genre":"GENRE_UNSPECIFIED","ratings":{},"pageViews":"0","isbn":"0","available":false,)"
       R"("price":0,"cover":"","weight":0}])"},
      {"GET", "/v1/shelves/s1/books:counts", R"(counts { key: "a" value: 1 })", R"({"a":1})"},
      {"GET", "/v1/shelves/s1/books:counts", "", "{}"},
      {"GET", "/v1/shelves/s1/books:curator", R"(curator { name: "C" })", R"({"name":"C","born":0})"},
      {"GET", "/v1/shelves/s1/books:curator", "", R"({"name":"","born":0})"},
      {"GET", "/v1/shelves/s1/books:note", R"(note: "hi \"there\"")", R"("hi \"there\"")"},
      {"GET", "/v1/shelves/s1/books:note", R"(code: 3)", R"("")"},
  };
  Check(*MakeTranscoder(), std::begin(cases), std::end(cases));
}

TEST_CASE("HttpBody replies pass their content type and bytes through") {
  auto transcoder = MakeTranscoder();
  auto match = transcoder->Match("GET", "/v1/shelves/s1/files/a/b.png");
  REQUIRE(match.ok());
  google::protobuf::DynamicMessageFactory factory;
  auto reply = FromText(factory, "google.api.HttpBody", R"(content_type: "image/png" data: "\211PNG\000")");
  auto rendered = transcoder->TranscodeResponse(*match->binding, reply->SerializeAsString());
  REQUIRE(rendered.ok());
  CHECK(rendered->content_type == "image/png");
  CHECK(rendered->body == std::string("\x89PNG\0", 5));
}

TEST_CASE("reply bytes that are not the output type are a 500") {
  auto transcoder = MakeTranscoder();
  for (const char* target : {"/carts/u1", "/carts/u1/items", "/v1/shelves/s1/files/x"}) {
    const std::string shown = target;
    CAPTURE(shown);
    auto match = transcoder->Match("GET", target);
    REQUIRE(match.ok());
    auto rendered = transcoder->TranscodeResponse(*match->binding, "\xff\xff\xff");
    REQUIRE_FALSE(rendered.ok());
    CHECK(rendered.error().status == 500);
  }
}
