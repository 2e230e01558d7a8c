// The user function of the eventing sidecar test, on our function server. What its consumers do:
//   Reader.OnPosted  records "OnPosted <ce-subject> <text> <ce-id> <ce-source> <ce-type>"; a text
//                    "forward:<x>" forwards to Reader.Note(<x>) instead
//   Reader.OnOther   records "OnOther <ce-subject> <payload type URL>"
//   Reader.Note      records "Note <text>"
//   Digest.Expand    replies two lines, the second with a side effect Reader.Note("digest:<text>")
//   Tally.Add        adds one to the count of the board the event names
// While stalling, Reader.OnPosted records nothing and answers only after the stall time, which the
// test sets longer than the sidecar's relay timeout: the sidecar sees the call time out, as with a
// function that is away.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cloudstate/function_server.h"

namespace cloudstate::eventingtest {

// What the function's consumers saw. Safe to use from any thread.
class Deliveries {
 public:
  void Record(const std::string& line);
  std::vector<std::string> Lines() const;
  // Lines starting with `prefix`.
  std::vector<std::string> Starting(const std::string& prefix) const;
  // Waits up to 10 s until `count` lines start with `prefix`.
  bool WaitFor(const std::string& prefix, size_t count = 1);

  // Zero: no stall.
  void SetStall(std::chrono::milliseconds stall);
  std::chrono::milliseconds stall() const;
  // OnPosted calls that stalled.
  int stalled() const;
  void Stalled();

 private:
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
  std::chrono::milliseconds stall_{0};
  int stalled_ = 0;
};

class EventingFunction {
 public:
  EventingFunction();
  bool Start();
  int port() const { return server_->port(); }
  Deliveries& seen() { return *seen_; }

 private:
  std::shared_ptr<Deliveries> seen_ = std::make_shared<Deliveries>();
  std::unique_ptr<FunctionServer> server_;
};

}  // namespace cloudstate::eventingtest
