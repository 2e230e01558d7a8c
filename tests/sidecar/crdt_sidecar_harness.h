// The CRDT model function (tests/function/crdt_function.h: the entity id's prefix picks the CRDT)
// on our function server, with an in-process sidecar in front of it on a memory store, and gRPC
// clients of fncrdt.CrdtModel. Shared by the CRDT sidecar tests.
#pragma once

#include <doctest/doctest.h>

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "crdt_function.h"
#include "fncrdt.grpc.pb.h"
#include "proxy/sidecar.h"
#include "support/test_sidecar.h"

namespace crdt_sidecar {

inline std::string Describe(const grpc::Status& status) {
  return std::to_string(status.error_code()) + " \"" + status.error_message() + "\"";
}

inline fncrdt::Request Request(const std::string& id, const std::string& op, const std::string& arg = "",
                               const std::string& end_at = "", const std::string& consistency = "") {
  fncrdt::Request request;
  request.set_id(id);
  request.set_op(op);
  request.set_arg(arg);
  request.set_end_at(end_at);
  request.set_consistency(consistency);
  return request;
}

// Sets a deadline far enough that only a hung sidecar reaches it.
inline void Bound(grpc::ClientContext& context) {
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
}

struct Harness {
  // `replicator`: the sidecar's, nullptr for the local one.
  explicit Harness(std::shared_ptr<cloudstate::Replicator> replicator = nullptr) {
    using namespace std::chrono_literals;
    function = fntest_support::StartCrdtFunction();
    REQUIRE(function->port() != 0);
    cloudstate::proxy::SidecarOptions options = cloudstate::testing::TestSidecarOptions(function->port());
    options.replicator = std::move(replicator);
    sidecar = cloudstate::testing::StartServingSidecar(std::move(options));
    model = NewClient();
  }

  // A client on a channel of its own.
  std::unique_ptr<fncrdt::CrdtModel::Stub> NewClient() const {
    return fncrdt::CrdtModel::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(sidecar->port()), grpc::InsecureChannelCredentials()));
  }

  // Apply: the rendered state, or "<error: ...>".
  std::string Apply(const fncrdt::Request& request) const {
    grpc::ClientContext context;
    Bound(context);
    fncrdt::State state;
    grpc::Status status = model->Apply(&context, request, &state);
    return status.ok() ? state.text() : "<error: " + Describe(status) + ">";
  }

  std::unique_ptr<fntest_support::TestFunction> function;
  std::unique_ptr<cloudstate::proxy::Sidecar> sidecar;
  std::unique_ptr<fncrdt::CrdtModel::Stub> model;
};

// One Watch call on its own client.
struct Watcher {
  Watcher(const Harness& h, const fncrdt::Request& request) : client(h.NewClient()) {
    Bound(context);
    reader = client->Watch(&context, request);
  }
  // The next message's text, or "<end>".
  std::string Next() {
    fncrdt::State state;
    return reader->Read(&state) ? state.text() : "<end>";
  }
  // Every message left, then the status.
  grpc::Status Drain(std::vector<std::string>* rest) {
    fncrdt::State state;
    while (reader->Read(&state)) rest->push_back(state.text());
    return reader->Finish();
  }

  std::unique_ptr<fncrdt::CrdtModel::Stub> client;
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<fncrdt::State>> reader;
};

}  // namespace crdt_sidecar
