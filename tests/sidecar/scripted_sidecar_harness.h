// The scripted function (scripted_function.h) with an in-process sidecar in front of it on a memory
// store, gRPC clients of its services, and a log recorder: shared by the misbehaving-function tests.
#pragma once

#include <doctest/doctest.h>

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "proxy/sidecar.h"
#include "scripted.grpc.pb.h"
#include "scripted_function.h"
#include "support/test_sidecar.h"

namespace cloudstate::sidecartest::harness {

using namespace std::chrono_literals;

inline bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class LogRecorder {
 public:
  cloudstate::LogSink Sink() {
    return [this](cloudstate::LogLevel level, const std::string& line) {
      std::lock_guard lock(mu_);
      lines_.emplace_back(level, line);
    };
  }
  size_t Mark() const {
    std::lock_guard lock(mu_);
    return lines_.size();
  }
  // Warnings and errors logged since `mark`.
  std::vector<std::string> ProblemsSince(size_t mark) const {
    std::lock_guard lock(mu_);
    std::vector<std::string> problems;
    for (size_t i = mark; i < lines_.size(); ++i) {
      if (lines_[i].first >= cloudstate::LogLevel::kWarning) problems.push_back(lines_[i].second);
    }
    return problems;
  }
  std::string All() const {
    std::lock_guard lock(mu_);
    std::string all;
    for (const auto& [level, line] : lines_) all += std::string(cloudstate::LogLevelName(level)) + " " + line + "\n";
    return all;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::pair<cloudstate::LogLevel, std::string>> lines_;
};

struct Call {
  grpc::Status status;
  Response response;
};

inline std::string Describe(const grpc::Status& status) {
  return std::to_string(status.error_code()) + " \"" + status.error_message() + "\"";
}
inline std::string Describe(const Call& call) { return Describe(call.status); }

// Polls `condition` for up to `limit`.
template <typename Condition>
bool Eventually(Condition condition, std::chrono::milliseconds limit = 3s) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

inline Request MakeRequest(const std::string& id, const std::string& mode, const std::vector<std::string>& events = {},
                           const std::string& target = "") {
  Request request;
  request.set_id(id);
  request.set_mode(mode);
  for (const auto& event : events) request.add_events(event);
  request.set_target(target);
  return request;
}

// A scripted function and an in-process sidecar in front of it, on a memory store.
struct Harness {
  explicit Harness(const std::function<void(proxy::SidecarOptions&)>& tweak = nullptr,
                   std::function<void(cloudstate::EntitySpec&)> edit_spec = nullptr)
      : function(std::move(edit_spec)) {
    REQUIRE(function.Start());
    proxy::SidecarOptions options = testing::TestSidecarOptions(function.port());
    options.relay_timeout = 300ms;
    options.log = log.Sink();
    if (tweak) tweak(options);
    auto started = proxy::Sidecar::Start(std::move(options));
    REQUIRE_MESSAGE(started.ok(), started.status().ToString());
    sidecar = std::move(*started);
  }

  void Serve() {
    cloudstate::Status ready = sidecar->WaitUntilReady(5s);
    REQUIRE_MESSAGE(ready.ok(), ready.ToString() << "\n" << log.All());
    channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(sidecar->port()), grpc::InsecureChannelCredentials());
    journaled = Journaled::NewStub(channel);
    valued = Valued::NewStub(channel);
    replicated = Replicated::NewStub(channel);
  }

  Call Do(const std::string& service, const std::string& id, const std::string& mode,
          const std::vector<std::string>& events = {}, const std::string& target = "") {
    Request request = MakeRequest(id, mode, events, target);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    Call call;
    if (service == kJournaled) {
      call.status = journaled->Do(&context, request, &call.response);
    } else if (service == kValued) {
      call.status = valued->Do(&context, request, &call.response);
    } else {
      call.status = replicated->Do(&context, request, &call.response);
    }
    return call;
  }

  LogRecorder log;
  ScriptedFunction function;
  std::unique_ptr<proxy::Sidecar> sidecar;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<Journaled::Stub> journaled;
  std::unique_ptr<Valued::Stub> valued;
  std::unique_ptr<Replicated::Stub> replicated;
};

}  // namespace cloudstate::sidecartest::harness
