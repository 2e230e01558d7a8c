// What the protocol services of the scripted function (scripted_function.h) share: the record of
// every stream, and how a mode turns into a reply. Not for tests.
#pragma once

#include <grpcpp/grpcpp.h>

#include <google/protobuf/any.pb.h>
#include <google/protobuf/repeated_field.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "scripted.pb.h"
#include "scripted_function.h"

namespace cloudstate::sidecartest {

struct ScriptedFunction::Shared {
  std::function<void(cloudstate::EntitySpec&)> edit_spec;
  mutable std::mutex mu;
  std::vector<StreamRecord> streams;
  std::vector<std::string> reported;
  int discoveries = 0;

  size_t NewStream(const char* protocol) {
    std::lock_guard lock(mu);
    streams.emplace_back();
    streams.back().protocol = protocol;
    return streams.size() - 1;
  }

  void Update(size_t index, const std::function<void(StreamRecord&)>& change) {
    std::lock_guard lock(mu);
    change(streams[index]);
  }
};

google::protobuf::Any Pack(const google::protobuf::Message& message);

template <typename T>
std::string TextOf(const google::protobuf::Any& any) {
  T message;
  any.UnpackTo(&message);
  return message.text();
}

std::string Join(const std::vector<std::string>& parts);

// The client action and side effects of a well-formed reply; `state` is what a plain reply reports.
void FillAction(const std::string& service, const Request& request, int64_t id, const std::string& state,
                cloudstate::ClientAction* action, google::protobuf::RepeatedPtrField<cloudstate::SideEffect>* effects);

// The command id a reply carries: the right one unless the mode says otherwise.
int64_t ReplyId(const std::string& mode, int64_t id);

// How a mode ends the stream instead of answering, if it does.
std::optional<grpc::Status> StreamEnding(const std::string& mode);

// The CRDT service (scripted_crdt.cc).
std::unique_ptr<grpc::Service> MakeScriptedCrdt(std::shared_ptr<ScriptedFunction::Shared> shared);

}  // namespace cloudstate::sidecartest
