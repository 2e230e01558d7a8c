// Where the engine's log lines go. The default sink writes warnings and errors to stderr, one line
// each: "<level> <message>"; the JSON-lines sink writes one object per line for log collectors.
#pragma once

#include <cstdio>
#include <functional>
#include <string>

#include "cloudstate/status.h"

namespace cloudstate {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

// Called from any thread; must be thread-safe and must not block for long.
using LogSink = std::function<void(LogLevel level, const std::string& message)>;

const char* LogLevelName(LogLevel level);

// Writes lines at `min_level` and above to stderr.
LogSink StderrLogSink(LogLevel min_level = LogLevel::kWarning);

// Writes lines at `min_level` and above to `out` as JSON objects, one per line:
// {"time":"2026-01-02T03:04:05.678Z","level":"info","logger":"<logger>","message":"..."}
// (UTC, milliseconds). `out` must outlive the sink; stderr when null.
LogSink JsonLinesLogSink(LogLevel min_level, std::string logger, std::FILE* out = nullptr);

// "text" or "json": the sink a command line's --log-format names; InvalidArgument otherwise.
Result<LogSink> LogSinkForFormat(const std::string& format, LogLevel min_level, const std::string& logger);

}  // namespace cloudstate
