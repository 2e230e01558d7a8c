// The seam between the two halves of the function server. Handler-side files run the user's
// handlers through the public API; wire-side files speak the generated protocol over gRPC. They
// meet here, in plain structs and small interfaces that name neither, so each half can be read,
// tested and changed alone. (The split began when the public Command/Reply/Metadata clashed with
// the protocol's messages of package `cloudstate`; the public names have since changed.)
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/any.pb.h>
#include <google/protobuf/descriptor.h>

#include "cloudstate/status.h"

namespace cloudstate::crdtentity {
class CrdtHandler;  // the handler side of one CRDT entity; its answers are already protocol-shaped
}

namespace cloudstate::function {

// The same type as cloudstate::MetadataEntries (an alias), spelled without including it.
using MetadataPairs = std::vector<std::pair<std::string, std::string>>;

// A call of another service: a forward or a side effect.
struct TargetCall {
  std::string service;  // full service name
  std::string method;
  google::protobuf::Any payload;
  MetadataPairs metadata;
};

struct EffectCall {
  TargetCall call;
  bool synchronous = false;
};

// How a handler ended a command, or one response of an action: a protocol ClientAction plus its
// side effects.
struct Outcome {
  enum class Kind { kNoReply, kReply, kForward, kFailure };
  Kind kind = Kind::kNoReply;
  google::protobuf::Any reply;  // kReply
  MetadataPairs reply_metadata;  // kReply
  TargetCall forward;  // kForward
  std::string failure;  // kFailure: the description for the client
  bool restart = false;  // kFailure: the entity's state is lost; the proxy must reload it
  std::vector<EffectCall> side_effects;

  static Outcome Failure(std::string description, bool restart) {
    Outcome outcome;
    outcome.kind = Kind::kFailure;
    outcome.failure = std::move(description);
    outcome.restart = restart;
    return outcome;
  }
};

// One command as the entity receives it.
struct CommandIn {
  std::string entity_id;
  int64_t id = 0;
  const google::protobuf::MethodDescriptor* method = nullptr;  // never null: checked before
  google::protobuf::Any payload;
  MetadataPairs metadata;
};

struct EventSourcedResult {
  Outcome outcome;
  std::vector<google::protobuf::Any> events;  // empty unless the outcome is a reply or forward
  std::optional<google::protobuf::Any> snapshot;
};

// One live event-sourced entity (one protocol stream). Called from one thread at a time.
class EventSourcedInstance {
 public:
  virtual ~EventSourcedInstance() = default;
  virtual Status ApplySnapshot(const google::protobuf::Any& snapshot, int64_t sequence) = 0;
  virtual Status ApplyEvent(const google::protobuf::Any& event, int64_t sequence) = 0;
  virtual EventSourcedResult HandleCommand(const CommandIn& command) = 0;
};

struct ValueResult {
  enum class StateAction { kNone, kUpdate, kDelete };
  Outcome outcome;
  StateAction action = StateAction::kNone;
  google::protobuf::Any state;  // kUpdate
};

// One live value entity (one protocol stream). Called from one thread at a time.
class ValueInstance {
 public:
  virtual ~ValueInstance() = default;
  virtual ValueResult HandleCommand(const CommandIn& command) = 0;
};

// One action call. Called from one thread at a time; each method returns the responses to send.
class ActionInstance {
 public:
  virtual ~ActionInstance() = default;
  // Unary: exactly one response. Streamed-out: any number.
  virtual Outcome Unary(const google::protobuf::Any& command) = 0;
  virtual std::vector<Outcome> StreamedOut(const google::protobuf::Any& command) = 0;
  // Streamed-in and duplex; a streamed-in call returns nothing from Message and one response from
  // End. `ended` is set when the call must end now (a broken handler).
  virtual std::vector<Outcome> Message(const google::protobuf::Any& message, MetadataPairs metadata,
                                       bool& ended) = 0;
  virtual std::vector<Outcome> End() = 0;
};

using EventSourcedInstanceFactory =
    std::function<Result<std::unique_ptr<EventSourcedInstance>>(const std::string& entity_id)>;
using ValueInstanceFactory = std::function<Result<std::unique_ptr<ValueInstance>>(
    const std::string& entity_id, std::optional<google::protobuf::Any> state)>;
using CrdtHandlerFactory =
    std::function<Result<std::unique_ptr<crdtentity::CrdtHandler>>(const std::string& entity_id)>;
using ActionInstanceFactory = std::function<Result<std::unique_ptr<ActionInstance>>(
    const google::protobuf::MethodDescriptor& method, MetadataPairs call_metadata)>;

}  // namespace cloudstate::function
