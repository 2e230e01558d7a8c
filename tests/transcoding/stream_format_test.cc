#include "transcode_test_util.h"
#include "transcoding/stream_format.h"

using namespace cloudstate::transcoding;
using namespace cloudstate::transcodingtest;

TEST_CASE("server-streamed replies: newline-delimited JSON by default, SSE on request, raw HttpBody") {
  auto transcoder = MakeTranscoder();
  google::protobuf::DynamicMessageFactory factory;
  auto watch = transcoder->Match("GET", "/v1/shelves/s1:watch");
  REQUIRE(watch.ok());
  const Binding& binding = *watch->binding;
  const std::string first = FromText(factory, "cloudstate.transcoding.test.Book", R"(title: "A")")->SerializeAsString();
  const std::string book_json =
      R"({"shelf":"","bookId":"","title":"A","tags":[],"genre":"GENRE_UNSPECIFIED","ratings":{},"pageViews":"0",)"
      R"("isbn":"0","available":false,"price":0,"cover":"","weight":0})";

  CHECK(ChooseStreamFormat(binding, "") == StreamFormat::kNewlineDelimitedJson);
  CHECK(ChooseStreamFormat(binding, "application/json, Text/Event-Stream;q=0.9") == StreamFormat::kServerSentEvents);

  StreamEncoder lines(*transcoder, binding, StreamFormat::kNewlineDelimitedJson);
  CHECK(lines.content_type() == "application/json");
  CHECK(lines.EncodeReply(first).value() == book_json + "\n");
  CHECK(lines.EncodeError(14, "user function \"gone\"") ==
        "{\"error\":{\"code\":14,\"httpStatus\":503,\"message\":\"user function \\\"gone\\\"\"}}\n");
  CHECK_FALSE(lines.EncodeReply("\xff").ok());

  StreamEncoder events(*transcoder, binding, StreamFormat::kServerSentEvents);
  CHECK(events.content_type() == "text/event-stream");
  CHECK(events.EncodeReply(first).value() == "data: " + book_json + "\n\n");
  CHECK(events.EncodeError(13, "boom") == "event: error\ndata: {\"code\":13,\"httpStatus\":500,\"message\":\"boom\"}\n\n");

  auto files = transcoder->Match("GET", "/v1/shelves/s1/stream/logs/today");
  REQUIRE(files.ok());
  CHECK(ChooseStreamFormat(*files->binding, "text/event-stream") == StreamFormat::kRawHttpBody);
  StreamEncoder raw(*transcoder, *files->binding, StreamFormat::kRawHttpBody);
  CHECK(raw.content_type() == "application/octet-stream");
  auto chunk = FromText(factory, "google.api.HttpBody", R"(content_type: "text/plain" data: "line 1\n")");
  CHECK(raw.EncodeReply(chunk->SerializeAsString()).value() == "line 1\n");
  CHECK(raw.content_type() == "text/plain");
  auto later = FromText(factory, "google.api.HttpBody", R"(content_type: "text/html" data: "line 2\n")");
  CHECK(raw.EncodeReply(later->SerializeAsString()).value() == "line 2\n");
  CHECK(raw.content_type() == "text/plain");  // the first reply decides
  CHECK(raw.EncodeError(13, "boom").empty());
}
