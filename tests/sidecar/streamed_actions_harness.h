// What the streamed-action sidecar tests share: a C++ user function on our function server
// (streamed_function.h) with an in-process sidecar in front of it on a memory store, a client on
// generated stubs, and helpers for each call shape.
#pragma once

#include <doctest/doctest.h>

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "proxy/sidecar.h"
#include "streamed.grpc.pb.h"
#include "streamed_function.h"
#include "support/test_sidecar.h"

namespace streamed_actions {

namespace st = cloudstate::streamtest;
using cloudstate::proxy::Sidecar;
using cloudstate::proxy::SidecarOptions;
using namespace std::chrono_literals;

inline bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

inline std::string Describe(const grpc::Status& status) {
  return std::to_string(status.error_code()) + " \"" + status.error_message() + "\"";
}

inline st::Say Say(const std::string& text, const std::string& op = "", int count = 0) {
  st::Say say;
  say.set_text(text);
  say.set_op(op);
  say.set_count(count);
  return say;
}

// Sets a deadline far enough that only a hung sidecar reaches it.
inline void Bound(grpc::ClientContext& context) { context.set_deadline(std::chrono::system_clock::now() + 20s); }

inline std::string InitialHeader(const grpc::ClientContext& context, const std::string& key) {
  std::string values;
  for (auto [it, end] = context.GetServerInitialMetadata().equal_range(key); it != end; ++it) {
    values += (values.empty() ? "" : ",") + std::string(it->second.data(), it->second.size());
  }
  return values;
}

// The function and an in-process sidecar in front of it, on a memory store.
struct Harness {
  explicit Harness(std::chrono::milliseconds relay_timeout = 20s) {
    REQUIRE(function.Start());
    SidecarOptions options = cloudstate::testing::TestSidecarOptions(function.port());
    options.relay_timeout = relay_timeout;
    sidecar = cloudstate::testing::StartServingSidecar(std::move(options));
    channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(sidecar->port()), grpc::InsecureChannelCredentials());
    streams = st::Streams::NewStub(channel);
  }

  // A unary call, to show the sidecar still serves.
  grpc::Status Unary(const std::string& text, st::Said* said) {
    grpc::ClientContext context;
    Bound(context);
    return streams->Unary(&context, Say(text), said);
  }

  // Collect over `messages`; the reply in *said.
  grpc::Status Collect(const std::vector<st::Say>& messages, st::Said* said, grpc::ClientContext* context) {
    auto writer = streams->Collect(context, said);
    for (const auto& message : messages) {
      if (!writer->Write(message)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  // Expand: every reply, then the status.
  grpc::Status Expand(const st::Say& request, std::vector<std::string>* replies, grpc::ClientContext* context) {
    auto reader = streams->Expand(context, request);
    st::Said said;
    while (reader->Read(&said)) replies->push_back(said.text());
    return reader->Finish();
  }

  st::StreamedFunction function;
  std::unique_ptr<Sidecar> sidecar;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<st::Streams::Stub> streams;
};

using ChatStream = grpc::ClientReaderWriter<st::Say, st::Said>;

// Sends `say` and reads the reply it gets.
inline std::string Exchange(ChatStream& chat, const st::Say& say) {
  st::Said said;
  if (!chat.Write(say)) return "<write failed>";
  if (!chat.Read(&said)) return "<stream ended>";
  return said.text();
}

// Reads what is left, every remaining reply, then the status; the client's side stays open.
inline grpc::Status Drain(ChatStream& chat, std::vector<std::string>* rest = nullptr) {
  st::Said said;
  while (chat.Read(&said)) {
    if (rest) rest->push_back(said.text());
  }
  return chat.Finish();
}

// Half-closes, then drains.
inline grpc::Status Close(ChatStream& chat, std::vector<std::string>* rest = nullptr) {
  chat.WritesDone();
  return Drain(chat, rest);
}

}  // namespace streamed_actions
