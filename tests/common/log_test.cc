// The JSON-lines log sink: every line is one JSON object a log collector can parse, whatever the
// message holds.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <cstdio>
#include <doctest/doctest.h>
#include <regex>
#include <string>
#include <vector>

#include "cloudstate/log.h"

namespace cloudstate {
namespace {

std::vector<std::string> Lines(std::FILE* file) {
  std::rewind(file);
  std::vector<std::string> lines;
  std::string line;
  for (int c; (c = std::fgetc(file)) != EOF;) {
    if (c == '\n') {
      lines.push_back(line);
      line.clear();
    } else {
      line += static_cast<char>(c);
    }
  }
  CHECK(line.empty());  // the last line ends with a newline too
  return lines;
}

google::protobuf::Struct Parse(const std::string& line) {
  google::protobuf::Struct object;
  auto status = google::protobuf::util::JsonStringToMessage(line, &object);
  INFO("line: " << line);
  REQUIRE(status.ok());
  return object;
}

TEST_CASE("json lines: one parseable object per line, with level, logger, time and message") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  LogSink sink = JsonLinesLogSink(LogLevel::kInfo, "sidecar", file);
  const std::string awkward = "entity \"cart-1\" said:\n\tline two \\ back\x01slash \xc3\xa9";
  sink(LogLevel::kDebug, "below the level, dropped");
  sink(LogLevel::kInfo, "plain");
  sink(LogLevel::kError, awkward);
  std::fflush(file);

  std::vector<std::string> lines = Lines(file);
  REQUIRE(lines.size() == 2);
  google::protobuf::Struct plain = Parse(lines[0]);
  CHECK(plain.fields().at("level").string_value() == "info");
  CHECK(plain.fields().at("logger").string_value() == "sidecar");
  CHECK(plain.fields().at("message").string_value() == "plain");
  CHECK(std::regex_match(plain.fields().at("time").string_value(),
                         std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
  google::protobuf::Struct error = Parse(lines[1]);
  CHECK(error.fields().at("level").string_value() == "error");
  CHECK(error.fields().at("message").string_value() == awkward);
  std::fclose(file);
}

TEST_CASE("log format names") {
  CHECK(LogSinkForFormat("text", LogLevel::kInfo, "x").ok());
  CHECK(LogSinkForFormat("json", LogLevel::kInfo, "x").ok());
  Result<LogSink> unknown = LogSinkForFormat("xml", LogLevel::kInfo, "x");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == StatusCode::kInvalidArgument);
  CHECK(unknown.status().message().find("xml") != std::string::npos);
}

}  // namespace
}  // namespace cloudstate
