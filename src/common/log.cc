#include "cloudstate/log.h"

#include <cstdio>

namespace cloudstate {

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

}  // namespace cloudstate
