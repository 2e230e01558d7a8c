// A user function for the sidecar's tests: a real gRPC server on 127.0.0.1 serving discovery and the
// event-sourced, value-entity and CRDT protocols for the services of scripted.proto. Each command's
// `mode` says how it answers, so a test can make it misbehave on purpose; everything the sidecar
// sends (init, replayed events, commands) is recorded, one record per handle stream.
//
// Modes (every protocol unless noted):
//   ok                     reply with the state
//   emit                   event sourced: emit `events`; value entity: store them as the state;
//                          CRDT: add them to the set
//   delete                 value entity: delete the state
//   failure                a client failure (restart = false), description "rejected <id>"
//   restart-failure        a client failure with restart = true, carrying `events` anyway
//   close-stream           end the stream with OK instead of replying
//   fail-stream            end the stream with UNAVAILABLE instead of replying
//   wrong-id               reply with command id + 100
//   zero-id                reply with command id 0
//   double-reply           reply, then send the same reply again
//   empty-message          send an out message with nothing set
//   failure-message        send the protocol-level failure message
//   bad-state-action       value entity, CRDT: a state action with no member
//   hang                   never reply
// CRDT only:
//   empty-delta            a state action updating with an empty CrdtDelta
//   wrong-type-delta       a state action updating the ORSet with a GCounter delta
//   streamed-reply         a reply marked streamed to a command that is not
//   streamed-message       a streamed message for this (not streamed) command, then the reply
//   streamed-unknown       a streamed message for command id + 100, then the reply
//   cancelled-unknown      a stream cancelled response for command id + 100 instead of the reply
// Watch (streamed) replies like Do, keeping the stream open, and answers stream_cancelled plainly.
//   forward                forward to Valued.Do for entity `target`
//   forward-unknown-service / forward-unknown-method / side-effect-unknown-service
//                          a forward or synchronous side effect to a target nobody serves
#pragma once

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cloudstate/entity.pb.h"

namespace cloudstate::sidecartest {

inline constexpr char kJournaled[] = "cloudstate.sidecartest.Journaled";
inline constexpr char kValued[] = "cloudstate.sidecartest.Valued";
inline constexpr char kReplicated[] = "cloudstate.sidecartest.Replicated";
inline constexpr char kKeyless[] = "cloudstate.sidecartest.Keyless";
inline constexpr char kNowhere[] = "cloudstate.sidecartest.Nowhere";

// What the sidecar sent on one handle stream.
struct StreamRecord {
  std::string protocol;  // "event-sourced", "value-entity" or "crdt"
  std::string service;   // from init
  std::string entity_id;
  int inits = 0;
  bool init_has_state = false;      // value entity: init.state present (always); CRDT: init.delta present
  std::string init_state;           // the stored value's text or the set's elements, "" when unset
  std::vector<int64_t> event_sequences;
  std::vector<std::string> events;  // texts of the replayed events
  std::vector<int64_t> command_ids;
  std::vector<std::string> command_modes;
  std::vector<int64_t> cancelled_ids;  // CRDT: stream_cancelled
  bool ended = false;               // the handler has returned
};

class ScriptedFunction {
 public:
  // `edit_spec` may change the EntitySpec discovery returns (default: Journaled as an event-sourced
  // entity with persistence id "journaled", Valued as a value entity with "valued", protocol 0.2).
  explicit ScriptedFunction(std::function<void(cloudstate::EntitySpec&)> edit_spec = nullptr);
  ~ScriptedFunction();
  ScriptedFunction(const ScriptedFunction&) = delete;
  ScriptedFunction& operator=(const ScriptedFunction&) = delete;

  // Listens on 127.0.0.1:`port` (0 picks one; pass port() to come back on the same one).
  bool Start(int port = 0);
  // Goes away: cancels every open stream and stops listening.
  void Stop();
  int port() const { return port_; }

  // Every stream opened for `entity_id`, oldest first.
  std::vector<StreamRecord> Streams(const std::string& entity_id) const;
  // Messages received through reportError.
  std::vector<std::string> ReportedErrors() const;
  int Discoveries() const;

  // Called by the protocol services; not for tests.
  struct Shared;

 private:
  std::shared_ptr<Shared> shared_;
  std::unique_ptr<grpc::Service> discovery_;
  std::unique_ptr<grpc::Service> event_sourced_;
  std::unique_ptr<grpc::Service> value_entity_;
  std::unique_ptr<grpc::Service> crdt_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace cloudstate::sidecartest
