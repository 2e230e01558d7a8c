#include "recording.h"

namespace cloudstate::tck {

const char* CallKindName(CallKind kind) {
  switch (kind) {
    case CallKind::kDiscovery: return "discovery";
    case CallKind::kEventSourced: return "event-sourced stream";
    case CallKind::kValueEntity: return "value-entity stream";
    case CallKind::kCrdt: return "crdt stream";
    case CallKind::kActionUnary: return "unary action call";
    case CallKind::kActionStreamedIn: return "streamed-in action call";
    case CallKind::kActionStreamedOut: return "streamed-out action call";
    case CallKind::kActionStreamed: return "streamed action call";
  }
  return "call";
}

std::string Connection::service() const {
  std::lock_guard lock(mutex_);
  return service_;
}

void Connection::SetService(const std::string& service) {
  std::lock_guard lock(mutex_);
  if (service_.empty()) service_ = service;
}

void Connection::Record(Direction direction, const google::protobuf::Message& message) {
  std::unique_ptr<google::protobuf::Message> copy(message.New());
  copy->CopyFrom(message);
  {
    std::lock_guard lock(mutex_);
    side(direction).messages.push_back(std::move(copy));
  }
  changed_.notify_all();
}

void Connection::Complete(Direction direction, const std::string& outcome) {
  {
    std::lock_guard lock(mutex_);
    Side& s = side(direction);
    if (s.complete) return;
    s.complete = true;
    s.outcome = outcome;
  }
  changed_.notify_all();
}

std::unique_ptr<google::protobuf::Message> Connection::Next(Direction direction, Deadline deadline) {
  std::unique_lock lock(mutex_);
  Side& s = side(direction);
  changed_.wait_until(lock, deadline, [&] { return !s.messages.empty() || s.complete; });
  if (s.messages.empty()) return nullptr;
  std::unique_ptr<google::protobuf::Message> next = std::move(s.messages.front());
  s.messages.pop_front();
  return next;
}

bool Connection::WaitComplete(Direction direction, Deadline deadline) {
  std::unique_lock lock(mutex_);
  const Side& s = side(direction);
  return changed_.wait_until(lock, deadline, [&] { return s.complete; });
}

void Connection::WaitComplete(Direction direction) {
  std::unique_lock lock(mutex_);
  const Side& s = side(direction);
  changed_.wait(lock, [&] { return s.complete; });
}

std::string Connection::Outcome(Direction direction) const {
  std::lock_guard lock(mutex_);
  return side(direction).outcome;
}

std::shared_ptr<Connection> Recorder::Announce(CallKind kind) {
  std::shared_ptr<Connection> connection;
  {
    std::lock_guard lock(mutex_);
    connection = std::make_shared<Connection>(kind, ++serial_);
    pending_.push_back(connection);
    if (kind == CallKind::kDiscovery) last_discovery_ = connection;
  }
  announced_.notify_all();
  return connection;
}

std::shared_ptr<Connection> Recorder::Next(Deadline deadline) {
  std::unique_lock lock(mutex_);
  if (!announced_.wait_until(lock, deadline, [&] { return !pending_.empty(); })) return nullptr;
  std::shared_ptr<Connection> next = std::move(pending_.front());
  pending_.pop_front();
  return next;
}

std::shared_ptr<Connection> Recorder::LastDiscovery() const {
  std::lock_guard lock(mutex_);
  return last_discovery_;
}

void Recorder::DiscardPending() {
  std::lock_guard lock(mutex_);
  pending_.clear();
}

}  // namespace cloudstate::tck
