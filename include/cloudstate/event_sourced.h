// Event-sourced entities: state is the fold of the entity's events. EntityCommand handlers validate and
// emit events; event handlers apply them. The engine persists events before the reply goes out and
// rebuilds state on activation from the newest snapshot plus the events after it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <google/protobuf/any.pb.h>
#include <google/protobuf/message.h>

#include "cloudstate/command_context.h"
#include "cloudstate/status.h"

namespace cloudstate {

class EventSourcedCommandContext : public CommandContext {
 public:
  // Applies `event` to the entity at once (through HandleEvent) and persists it with the command.
  // If the command then fails or breaks, the entity is reloaded from the store, so events that were
  // applied but never persisted disappear.
  virtual void Emit(google::protobuf::Any event) = 0;
  void Emit(const google::protobuf::Message& event) {
    google::protobuf::Any any;
    any.PackFrom(event);
    Emit(std::move(any));
  }
  // Sequence number of the last event applied to the entity (emitted ones included).
  virtual int64_t Sequence() const = 0;
};

// One instance per live entity; every method is called on the entity's strand only, so
// implementations need no locking. Throwing from any method restarts the entity.
class EventSourcedEntity {
 public:
  virtual ~EventSourcedEntity() = default;

  // Restores state from a snapshot taken by Snapshot(); called before any event on activation.
  virtual Status HandleSnapshot(const google::protobuf::Any& snapshot, int64_t sequence) {
    (void)snapshot;
    (void)sequence;
    return Status::InvalidArgument("this entity does not take snapshots");
  }

  // Applies one event (replayed or just emitted). A non-OK status restarts the entity.
  virtual Status HandleEvent(const google::protobuf::Any& event, int64_t sequence) = 0;

  virtual void HandleCommand(const google::protobuf::Any& command, EventSourcedCommandContext& context) = 0;

  // The current state as a snapshot, or nullopt to take none. Asked for every `snapshot_every`
  // events; the snapshot is saved atomically with the events of the command that crossed the mark.
  virtual std::optional<google::protobuf::Any> Snapshot() { return std::nullopt; }
};

// Creates the handler for one entity id. Called on the entity's strand at each activation.
using EventSourcedFactory = std::function<std::unique_ptr<EventSourcedEntity>(const std::string& entity_id)>;

}  // namespace cloudstate
