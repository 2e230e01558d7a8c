// CRDT entities: the state is one CRDT (crdt_types.h) replicated to every node that serves the
// entity, so any node answers without coordination. Handlers read and change the CRDT; the engine
// replicates the change with the write consistency the handler asks for and keeps the full state
// in its store, so it survives a restart. A command of a server-streaming method stays open: the
// handler is told of every later change (its own or another node's) and may send the caller a
// message each time, and learns when the caller goes away.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <google/protobuf/any.pb.h>
#include <google/protobuf/message.h>

#include "cloudstate/command.h"
#include "cloudstate/command_context.h"
#include "cloudstate/crdt_types.h"
#include "cloudstate/engine.h"
#include "cloudstate/status.h"

namespace cloudstate {

// How many nodes must hold a change before the command's reply goes out. A single node meets all
// three at once.
enum class WriteConsistency { kLocal, kMajority, kAll };

// The entity's CRDT as a handler reaches it. Changes made through it are replicated when the
// handler returns, unless the command fails.
class CrdtStateAccess {
 public:
  virtual ~CrdtStateAccess() = default;

  // The CRDT, or nullptr when none exists yet (or it was deleted).
  virtual CrdtValue* State() = 0;
  // The CRDT if it is a T, else nullptr.
  template <typename T>
  T* State() {
    CrdtValue* value = State();
    return value != nullptr && value->kind() == T::kKind ? static_cast<T*>(value) : nullptr;
  }
  // The CRDT, created empty when none exists. Asking for another kind than the existing one breaks
  // the command (the caller gets Internal) and returns a scratch value that is never replicated.
  template <typename T>
  T& StateOrCreate() {
    return static_cast<T&>(StateOrCreate(T::kKind));
  }
  virtual CrdtValue& StateOrCreate(CrdtKind kind) = 0;

  // Deletes the CRDT on every node; the entity then refuses commands until it is passivated.
  virtual void DeleteState() = 0;
  // For this command's change or delete; kLocal by default.
  virtual void SetWriteConsistency(WriteConsistency consistency) = 0;
};

// Handed to a change callback of a streamed command: what it may send to that one caller.
// Valid only during the callback.
class CrdtStreamContext {
 public:
  virtual ~CrdtStreamContext() = default;
  virtual const std::string& EntityId() const = 0;
  // The id of the streamed command this callback belongs to.
  virtual int64_t CommandId() const = 0;
  // The CRDT after the change, or nullptr (read only).
  virtual const CrdtValue* State() const = 0;
  template <typename T>
  const T* State() const {
    const CrdtValue* value = State();
    return value != nullptr && value->kind() == T::kKind ? static_cast<const T*>(value) : nullptr;
  }

  // Sends one message to the caller (at most one of Reply or Forward per callback).
  virtual void Reply(google::protobuf::Any payload, MetadataEntries metadata = {}) = 0;
  void Reply(const google::protobuf::Message& message, MetadataEntries metadata = {}) {
    Reply(PackAny(message), std::move(metadata));
  }
  // Sends the caller the result of `command` instead.
  virtual void Forward(EntityCommand command) = 0;
  virtual void SideEffect(EntityCommand command, bool synchronous = false) = 0;
  // Ends the caller's stream after this callback's message; no callback runs for it again.
  virtual void EndStream() = 0;
};

// Handed to the cancel callback of a streamed command once its caller has gone away: it may change
// the CRDT (for example withdraw a vote) and run side effects. Valid only during the callback.
class CrdtCancelContext : public CrdtStateAccess {
 public:
  virtual const std::string& EntityId() const = 0;
  virtual int64_t CommandId() const = 0;
  virtual void SideEffect(EntityCommand command, bool synchronous = false) = 0;
};

// Called on the entity's turn, one at a time with the entity's other calls.
using CrdtChangeCallback = std::function<void(CrdtStreamContext& context)>;
using CrdtCancelCallback = std::function<void(CrdtCancelContext& context)>;

class CrdtCommandContext : public CommandContext, public CrdtStateAccess {
 public:
  // True when the caller keeps a stream open for this command (a server-streaming method).
  virtual bool IsStreamed() const = 0;
  // Streamed commands only: `callback` runs after every later change of the CRDT while the caller
  // is connected. Registering a change or cancel callback keeps the caller's stream open after the
  // reply (which may be empty); without either, the stream ends with the reply. Registering on a
  // command that is not streamed breaks the command.
  virtual void OnChange(CrdtChangeCallback callback) = 0;
  // Streamed commands only: `callback` runs once if the caller goes away while the stream is open.
  virtual void OnCancel(CrdtCancelCallback callback) = 0;
};

// One instance per live entity. Called one call at a time (commands, change and cancel callbacks),
// never concurrently; throwing breaks the command (the caller gets Internal, nothing replicates).
class CrdtEntity {
 public:
  virtual ~CrdtEntity() = default;
  virtual void HandleCommand(const google::protobuf::Any& command, CrdtCommandContext& context) = 0;
};

using CrdtEntityFactory = std::function<std::unique_ptr<CrdtEntity>(const std::string& entity_id)>;

// Registers a CRDT entity type on `engine` (the embedding counterpart of RegisterValueEntity). The
// CRDT is kept in the store's value role under the persistence id; snapshot_every does not apply.
Status RegisterCrdt(Engine& engine, std::string entity_type, CrdtEntityFactory factory,
                    EntityTypeOptions options = {});

// What a streamed command sends its caller.
struct StreamCallbacks {
  // Each message in order: the command's reply (when it has a payload), then one per change.
  std::function<void(CommandReply message)> on_message;
  // Exactly once, last: OK when the entity ended the stream or stopped serving it (delete,
  // passivation, shutdown); the command's failure when it failed; Unavailable after Cancel.
  std::function<void(Status status)> on_end;
  // Optional. Once, when the command's reply came (the stream is open), before any message, with
  // the reply's metadata — also when the reply has no payload, so a caller can tell that its
  // subscription was taken before anything changed.
  std::function<void(const MetadataEntries& metadata)> on_accepted;
};

// An open streamed command. Safe to use from any thread; destroying it cancels the stream.
class CommandStream {
 public:
  virtual ~CommandStream() = default;
  // The caller goes away: the entity's cancel callback runs, nothing more is delivered but on_end.
  virtual void Cancel() = 0;
};

// Sends a command whose caller stays subscribed (a server-streaming method). For entity types
// that do not stream, the reply is the only message.
std::unique_ptr<CommandStream> SendStreamed(Engine& engine, EntityCommand command, StreamCallbacks callbacks);

}  // namespace cloudstate
