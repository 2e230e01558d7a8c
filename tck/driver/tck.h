// What a case works with: the proxy and the user function to call, the discovery the proxy made,
// fresh entity ids, and probes on the calls the interceptor recorded. Every Expect* throws
// CaseFailure (check.h) at the first difference. Used by one case at a time.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "check.h"
#include "cloudstate/entity.pb.h"
#include "http_client.h"
#include "interceptor/recording.h"

namespace cloudstate::tck {

// What the proxy under test is asked to serve beyond the protocol itself. Cases that need a
// feature the proxy lacks are reported as skipped with the reason, never as passed.
struct ProxyFeatures {
  bool http_json = true;          // HTTP/JSON transcoding on the client port
  bool server_reflection = true;  // gRPC server reflection (v1alpha)
  bool crdt = true;               // CRDT entities (listed at discovery, served to clients)
  // Event-log eventing: consuming the events entities persist and delivering them to subscribers.
  bool eventing = true;
};

struct TckSettings {
  std::string proxy_host = "127.0.0.1";
  int proxy_port = 9000;
  std::string user_function = "127.0.0.1:8080";  // host:port, for the model cases
  ProxyFeatures features;
  // How long an expected message, call or stream end may take (the original kit's 3 s).
  std::chrono::milliseconds timeout{3000};
};

// The calls recorded for one protocol call of the proxy, read in order per direction.
class ConnectionProbe {
 public:
  ConnectionProbe(std::shared_ptr<Connection> connection, std::chrono::milliseconds timeout)
      : connection_(std::move(connection)), timeout_(timeout) {}

  const Connection& connection() const { return *connection_; }

  // The next message from the proxy to the function (In) / back (Out) equals `expected`.
  void ExpectIn(const google::protobuf::Message& expected) { Expect(Direction::kIn, expected); }
  void ExpectOut(const google::protobuf::Message& expected) { Expect(Direction::kOut, expected); }

  // The next message, whatever it is, for cases that inspect parts of it.
  template <typename T>
  T NextIn() { return As<T>(Take(Direction::kIn, T::descriptor()->full_name())); }
  template <typename T>
  T NextOut() { return As<T>(Take(Direction::kOut, T::descriptor()->full_name())); }

  void ExpectInComplete();
  void ExpectOutComplete();
  // Both directions ended within `within`.
  void ExpectClosed(std::chrono::milliseconds within);

 private:
  void Expect(Direction direction, const google::protobuf::Message& expected);
  std::unique_ptr<google::protobuf::Message> Take(Direction direction, const std::string& wanted);
  std::string Where(Direction direction) const;

  template <typename T>
  T As(std::unique_ptr<google::protobuf::Message> message) {
    T* typed = dynamic_cast<T*>(message.get());
    if (typed == nullptr) Fail("unexpected message type on " + Where(Direction::kIn), T::descriptor()->full_name(), Describe(*message));
    return *typed;
  }

  std::shared_ptr<Connection> connection_;
  std::chrono::milliseconds timeout_;
};

class Tck {
 public:
  Tck(TckSettings settings, Recorder& recorder, ::cloudstate::ProxyInfo proxy_info, ::cloudstate::EntitySpec spec);

  const TckSettings& settings() const { return settings_; }
  const ::cloudstate::ProxyInfo& proxy_info() const { return proxy_info_; }
  const ::cloudstate::EntitySpec& spec() const { return spec_; }
  // The spec's entity for `service`, or nullptr.
  const ::cloudstate::Entity* Entity(const std::string& service) const;

  // Fresh ids, one counter per group as in the original kit: "entity-1", "entity-2", ...
  std::string NextEventSourcedId() { return "entity-" + std::to_string(++event_sourced_ids_); }
  std::string NextValueEntityId() { return "entity-" + std::to_string(++value_entity_ids_); }
  // CRDT entity ids name the kind of their CRDT: "GCounter-1", "ORMap-2", ...
  std::string NextCrdtId(const std::string& kind) { return kind + "-" + std::to_string(++crdt_ids_); }

  std::shared_ptr<grpc::Channel> proxy() const { return proxy_; }
  std::shared_ptr<grpc::Channel> user_function() const { return user_function_; }
  // Sets the deadline of a client call to the proxy or the function.
  void Prepare(grpc::ClientContext& context) const;
  // The deadline for a whole model conversation with the user function.
  void PrepareStream(grpc::ClientContext& context) const;

  // The next call the proxy made to the function; it must be of `kind`.
  ConnectionProbe NextConnection(CallKind kind);
  // No further call reached the interceptor (checked after every case).
  void ExpectNoMoreConnections();
  Recorder& recorder() { return recorder_; }

  // Notes a check the case left out because the proxy lacks a feature; reported with the result,
  // so such a case never reads as a plain pass.
  void SkipPart(const std::string& reason) { skipped_parts_.push_back(reason); }
  std::vector<std::string> TakeSkippedParts() { return std::exchange(skipped_parts_, {}); }

  // An HTTP call to the proxy: POST with a JSON body, or GET without one.
  HttpResponse Http(const std::string& path, const std::string& body);

 private:
  TckSettings settings_;
  Recorder& recorder_;
  ::cloudstate::ProxyInfo proxy_info_;
  ::cloudstate::EntitySpec spec_;
  std::shared_ptr<grpc::Channel> proxy_;
  std::shared_ptr<grpc::Channel> user_function_;
  int event_sourced_ids_ = 0;
  int value_entity_ids_ = 0;
  int crdt_ids_ = 0;
  std::vector<std::string> skipped_parts_;
};

// The status of a client call is OK.
void ExpectOk(const grpc::Status& status, const std::string& call);
// The call failed with exactly `description` as its status message.
void ExpectFailure(const grpc::Status& status, const std::string& description, const std::string& call);

}  // namespace cloudstate::tck
