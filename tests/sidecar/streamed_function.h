// The user function of the streamed-actions test, on our function server: the Streams action (one
// method of each gRPC shape) and the Helper action, recording what they saw for the test to check.
//
// What a message does, by its `op` (streamed.proto):
//   ""              reply: Unary "unary:<text>", Chat "chat:<text>", Expand "<text>-0" .. "<text>-<count-1>",
//                   Collect one reply at the end, the texts joined with ',', with header x-count=<messages>
//   "header"        as "", and the reply carries metadata x-reply=<text>
//   "client-header" reply "<request header x-client>|<number of entries in the message's metadata>"
//   "forward"       the response is a forward to Helper.Echo (Collect: of its joined reply)
//   "effect"        as "", with a synchronous side effect Helper.Record(<text>)
//   "async-effect"  as "", with an asynchronous one
//   "silent"        no response
//   "fail"          Fail("<method> failed at <text>"); Expand fails after its replies
//   "fail-effect"   as "fail", with a synchronous side effect Helper.Record(<text>)
//   "crash"         the handler throws "<method> crashed at <text>"
//   "stall"         Collect: the end of the stream blocks until ReleaseStalled()
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cloudstate/function_server.h"

namespace cloudstate::streamtest {

// What the function saw. Safe to use from any thread.
class Observations {
 public:
  void Record(const std::string& text);
  void Started(const std::string& tag);
  void Ended(const std::string& tag);
  void Abandoned(const std::string& tag);
  void WaitUntilReleased();
  void Release();

  std::vector<std::string> Recorded() const;
  // Each waits (up to 10 s, so a broken sidecar fails the test instead of hanging it) until it holds.
  bool WaitRecorded(const std::string& text);
  // Streamed-in and duplex calls, by tag (their first message's text): those whose handler got
  // their first message, those whose handler saw the end of the stream, and those whose handler
  // went away without it (cancelled or failed).
  bool WaitStarted(const std::string& tag);
  bool WaitEnded(const std::string& tag);
  bool WaitAbandoned(const std::string& tag);

 private:
  template <typename Condition>
  bool WaitFor(Condition condition);
  static bool Has(const std::vector<std::string>& list, const std::string& item);

  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<std::string> recorded_;
  std::vector<std::string> started_;
  std::vector<std::string> ended_;
  std::vector<std::string> abandoned_;
  bool released_ = false;
};

class StreamedFunction {
 public:
  StreamedFunction();
  bool Start();
  int port() const { return server_->port(); }
  // Stops serving; open calls are cancelled.
  void Shutdown() { server_->Shutdown(std::chrono::milliseconds(0)); }
  Observations& seen() { return *seen_; }

 private:
  std::shared_ptr<Observations> seen_ = std::make_shared<Observations>();
  std::unique_ptr<FunctionServer> server_;
};

}  // namespace cloudstate::streamtest
