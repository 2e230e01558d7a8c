// What the interceptor saw: every protocol call the proxy made to the user function, announced in
// arrival order, with the messages of each direction in order and the end of each direction.
// The relay writes, the kit's cases read; both sides are safe to use from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include <google/protobuf/message.h>

namespace cloudstate::tck {

// kIn: proxy to user function; kOut: user function to proxy.
enum class Direction { kIn, kOut };

enum class CallKind {
  kDiscovery,
  kEventSourced,
  kValueEntity,
  kCrdt,
  kActionUnary,
  kActionStreamedIn,
  kActionStreamedOut,
  kActionStreamed,
};
const char* CallKindName(CallKind kind);

using Deadline = std::chrono::steady_clock::time_point;

// One protocol call (a discovery, an entity stream, an action call).
class Connection {
 public:
  Connection(CallKind kind, int serial) : kind_(kind), serial_(serial) {}

  CallKind kind() const { return kind_; }
  int serial() const { return serial_; }  // 1 for the first call the interceptor saw, then 2, ...
  // The service the call is for, once its first message named it ("" before, and for discovery).
  std::string service() const;
  void SetService(const std::string& service);

  // Relay side.
  void Record(Direction direction, const google::protobuf::Message& message);
  // The direction has ended; `outcome` describes how ("OK", or the status code and message).
  void Complete(Direction direction, const std::string& outcome);

  // Reader side: the next message not yet taken in `direction`, or nullptr when the direction
  // ended without one or nothing came before `deadline`.
  std::unique_ptr<google::protobuf::Message> Next(Direction direction, Deadline deadline);
  // True once `direction` has ended (waiting until `deadline`).
  bool WaitComplete(Direction direction, Deadline deadline);
  // Waits without a limit: the relay holds a message until the other side ends.
  void WaitComplete(Direction direction);
  std::string Outcome(Direction direction) const;

 private:
  struct Side {
    std::deque<std::unique_ptr<google::protobuf::Message>> messages;
    bool complete = false;
    std::string outcome;
  };
  Side& side(Direction direction) { return sides_[direction == Direction::kIn ? 0 : 1]; }
  const Side& side(Direction direction) const { return sides_[direction == Direction::kIn ? 0 : 1]; }

  const CallKind kind_;
  const int serial_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string service_;
  Side sides_[2];
};

// The calls in the order the proxy opened them.
class Recorder {
 public:
  std::shared_ptr<Connection> Announce(CallKind kind);
  // The next announced call not yet taken, or nullptr when none came before `deadline`.
  std::shared_ptr<Connection> Next(Deadline deadline);
  // The latest discovery call (reportError calls are recorded on it), or nullptr.
  std::shared_ptr<Connection> LastDiscovery() const;
  // Forgets the calls announced but not taken (after a failed case, so the next starts clean).
  void DiscardPending();

 private:
  mutable std::mutex mutex_;
  std::condition_variable announced_;
  std::deque<std::shared_ptr<Connection>> pending_;
  std::shared_ptr<Connection> last_discovery_;
  int serial_ = 0;
};

}  // namespace cloudstate::tck
