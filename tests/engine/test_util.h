// Small helpers every engine test uses: polling with a deadline instead of sleeping, a gate that
// blocks a handler until the test opens it, temporary directories, and reply unpacking.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>

#include <doctest/doctest.h>
#include <google/protobuf/wrappers.pb.h>

#include "cloudstate/command.h"
#include "cloudstate/status.h"

namespace cloudstate::testing {

using namespace std::chrono_literals;

// Long enough for a loaded sanitizer build on two cores; only ever reached when something is wrong.
inline constexpr std::chrono::milliseconds kDeadline = 10s;

// Polls `done` until it holds or `timeout` passes; returns whether it held. Tests assert on the
// result, so a broken engine fails the test instead of hanging it.
bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout = kDeadline);

// A one-shot latch with a deadline: handlers block on it so a test can hold an entity busy.
class Gate {
 public:
  void Open();
  // Blocks until Open() or the deadline; returns false when the deadline passed.
  bool Wait(std::chrono::milliseconds timeout = kDeadline);
  bool IsOpen();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

google::protobuf::Int64Value Int64(int64_t value);
google::protobuf::StringValue Str(std::string value);

// The status code of a reply (kOk for a successful one).
StatusCode CodeOf(const Result<CommandReply>& reply);
// The message of a failed reply, "" for a successful one.
std::string MessageOf(const Result<CommandReply>& reply);
// The Int64Value a successful reply carries; fails the test (and returns INT64_MIN) otherwise.
int64_t IntOf(const Result<CommandReply>& reply);
// The StringValue a successful reply carries; fails the test (and returns "<error>") otherwise.
std::string StrOf(const Result<CommandReply>& reply);

}  // namespace cloudstate::testing

namespace cloudstate {
// Lets CHECK_EQ print status codes by name (doctest finds it by argument-dependent lookup; its
// StringMaker is bypassed for enums).
inline doctest::String toString(StatusCode code) {
  return doctest::String(std::string(StatusCodeName(code)).c_str());
}
}  // namespace cloudstate
