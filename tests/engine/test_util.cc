#include "test_util.h"

#include <climits>
#include <random>
#include <thread>

namespace cloudstate::testing {

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
}

void Gate::Open() {
  {
    std::lock_guard lock(mu_);
    open_ = true;
  }
  cv_.notify_all();
}

bool Gate::Wait(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [this] { return open_; });
}

bool Gate::IsOpen() {
  std::lock_guard lock(mu_);
  return open_;
}

TempDir::TempDir() {
  std::random_device random;
  auto base = std::filesystem::temp_directory_path();
  for (;;) {
    path_ = base / ("cloudstate-engine-test-" + std::to_string(random()));
    if (std::filesystem::create_directory(path_)) return;
  }
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

google::protobuf::Int64Value Int64(int64_t value) {
  google::protobuf::Int64Value message;
  message.set_value(value);
  return message;
}

google::protobuf::StringValue Str(std::string value) {
  google::protobuf::StringValue message;
  message.set_value(std::move(value));
  return message;
}

StatusCode CodeOf(const Result<CommandReply>& reply) { return reply.ok() ? StatusCode::kOk : reply.status().code(); }

std::string MessageOf(const Result<CommandReply>& reply) { return reply.ok() ? "" : reply.status().message(); }

int64_t IntOf(const Result<CommandReply>& reply) {
  if (!reply.ok()) {
    FAIL_CHECK("expected an Int64Value reply, got " << reply.status().ToString());
    return INT64_MIN;
  }
  if (!reply->payload) {
    FAIL_CHECK("expected an Int64Value reply, got a reply without payload");
    return INT64_MIN;
  }
  auto value = Unpack<google::protobuf::Int64Value>(*reply->payload);
  if (!value.ok()) {
    FAIL_CHECK(value.status().ToString());
    return INT64_MIN;
  }
  return value->value();
}

std::string StrOf(const Result<CommandReply>& reply) {
  if (!reply.ok()) {
    FAIL_CHECK("expected a StringValue reply, got " << reply.status().ToString());
    return "<error>";
  }
  if (!reply->payload) {
    FAIL_CHECK("expected a StringValue reply, got a reply without payload");
    return "<error>";
  }
  auto value = Unpack<google::protobuf::StringValue>(*reply->payload);
  if (!value.ok()) {
    FAIL_CHECK(value.status().ToString());
    return "<error>";
  }
  return value->value();
}

}  // namespace cloudstate::testing
