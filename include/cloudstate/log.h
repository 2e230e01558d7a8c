// Where the engine's log lines go. The default sink writes warnings and errors to stderr, one line
// each: "<level> <message>".
#pragma once

#include <functional>
#include <string>

namespace cloudstate {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

// Called from any thread; must be thread-safe and must not block for long.
using LogSink = std::function<void(LogLevel level, const std::string& message)>;

const char* LogLevelName(LogLevel level);

// Writes lines at `min_level` and above to stderr.
LogSink StderrLogSink(LogLevel min_level = LogLevel::kWarning);

}  // namespace cloudstate
