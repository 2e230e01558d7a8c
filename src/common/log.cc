#include "cloudstate/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace cloudstate {
namespace {

// RFC 8259 string escaping; bytes >= 0x80 pass through (messages are UTF-8 or opaque).
void AppendJsonString(std::string& out, const std::string& text) {
  out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          out += escaped;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

std::string UtcTimestamp() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc;
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char with_millis[40];
  std::snprintf(with_millis, sizeof with_millis, "%s.%03dZ", text, static_cast<int>(millis));
  return with_millis;
}

}  // namespace

const char* LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "?";
}

LogSink StderrLogSink(LogLevel min_level) {
  return [min_level](LogLevel level, const std::string& message) {
    if (level < min_level) return;
    // One fprintf per line keeps lines from different threads whole.
    std::fprintf(stderr, "%s %s\n", LogLevelName(level), message.c_str());
  };
}

LogSink JsonLinesLogSink(LogLevel min_level, std::string logger, std::FILE* out) {
  return [min_level, logger = std::move(logger), out](LogLevel level, const std::string& message) {
    if (level < min_level) return;
    std::string line = "{\"time\":\"" + UtcTimestamp() + "\",\"level\":\"" + LogLevelName(level) + "\",\"logger\":";
    AppendJsonString(line, logger);
    line += ",\"message\":";
    AppendJsonString(line, message);
    line += "}\n";
    // One write per line keeps lines from different threads whole.
    std::fwrite(line.data(), 1, line.size(), out != nullptr ? out : stderr);
  };
}

Result<LogSink> LogSinkForFormat(const std::string& format, LogLevel min_level, const std::string& logger) {
  if (format == "text") return StderrLogSink(min_level);
  if (format == "json") return JsonLinesLogSink(min_level, logger);
  return Status::InvalidArgument("unknown log format '" + format + "' (text, json)");
}

}  // namespace cloudstate
