// The runtime side of one CRDT entity, shared by the engine's in-process CRDT entities and the
// sidecar's bridge to a remote user function (only the CrdtPort differs). It holds the replica and
// what the function was last told of it, applies the function's state actions, keeps the full
// state in the store, publishes deltas at the asked write consistency before releasing replies,
// keeps the callers of streamed commands subscribed, and pushes changes from other nodes to the
// function when it is not busy (semantics.md §7.4.8). Everything runs on a serial queue, so
// commands, answers, store completions and other nodes' deltas never interleave.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "cloudstate/log.h"
#include "cloudstate/store.h"
#include "crdt/crdt.h"
#include "crdt/state_action.h"
#include "crdtentity/crdt_durable.h"
#include "crdtentity/crdt_port.h"
#include "crdtentity/replicator.h"
#include "crdtentity/serial_queue.h"
#include "entity/entity_runtime.h"

namespace cloudstate::crdtentity {

// What every entity of one CRDT type shares.
struct CrdtTypeContext {
  ValueStore* values = nullptr;
  std::shared_ptr<Replicator> replicator;
  std::string persistence_id;
  std::string label;  // e.g. "CRDT entity Presence"
  CrdtPortFactory open_port;
  LogSink log;
  std::function<int64_t()> now_ms;  // wall clock, for LWWRegister writes
  // Tells the user function what it did wrong (EntityDiscovery.reportError); must not block.
  // Empty for in-process functions, whose mistakes are only logged.
  std::function<void(const std::string& message)> report_error;
};

class CrdtCore : public std::enable_shared_from_this<CrdtCore> {
 public:
  CrdtCore(std::shared_ptr<const CrdtTypeContext> type, std::string entity_id);

  // On the entity's strand, before any command.
  Status Activate();
  void Handle(const EntityCommand& command, int64_t command_id, std::shared_ptr<StreamSink> stream,
              OutcomeCallback done);
  // Passivation or shutdown: open streams end normally, the function is let go.
  void Stop();

  // From the replicator, any thread.
  void RemoteDelta(std::string encoded);
  void RemoteDelete();
  void MembersChanged();

  bool alive() const { return !dead_.load(); }
  bool holds_streams() const { return open_streams_.load() > 0; }

 private:
  struct Waiting {
    std::string name;  // the command's method, for the log
    OutcomeCallback done;
    std::shared_ptr<StreamSink> stream;
    bool cancel_requested = false;
  };

  // Posts onto the queue; dropped once the core is gone.
  void Post(std::function<void()> task);
  void OnAnswer(CrdtAnswer answer);
  void OnReply(CrdtAnswer answer);
  void OnStreamed(CrdtAnswer answer);
  void OnCancelledAnswer(CrdtAnswer answer);
  void StartCancel(int64_t command_id);
  // Applies the function's state action to the replica and to what the function holds. One it may
  // not send (an empty or mismatched delta, or neither update nor delete) changes nothing and is
  // InvalidArgument: a protocol violation, not a failed write.
  Result<replicated::StateActionOutcome> Apply(const std::optional<::cloudstate::crdt::CrdtStateAction>& action);
  // Stores and publishes what Apply did at `consistency`, then calls `then` with the outcome.
  void Persist(replicated::StateActionOutcome applied, ReplicaConsistency consistency, std::function<void(Status)> then);
  void Publish(std::optional<std::string> delta, ReplicaConsistency consistency, std::function<void(Status)> then);
  void OperationFinished();
  void PushChanges();
  void EnterDeleted();
  // The function broke the protocol: it is told `message`, then the entity crashes.
  void Violation(const std::string& message, Status status);
  // Every caller gets `status`, the crash is logged once with the commands it fails, the entity stops.
  void Crash(const std::string& reason, Status status);
  void EndStreams(const Status& status);
  std::optional<::cloudstate::crdt::CrdtDelta> ViewOf(const std::optional<replicated::Crdt>& crdt,
                                                     const std::vector<replicated::ReplicaId>& voters) const;
  std::vector<replicated::ReplicaId> Voters() const;
  std::string Label() const;

  const std::shared_ptr<const CrdtTypeContext> type_;
  const std::string entity_id_;
  replicated::ReplicaId self_;
  SerialQueue queue_;
  std::weak_ptr<CrdtCore> weak_self_;

  // On the queue only.
  std::optional<replicated::Crdt> replica_;
  std::optional<replicated::Crdt> told_;  // what the function holds, replayed from what it was told and did
  std::vector<replicated::ReplicaId> told_voters_;
  std::unique_ptr<CrdtDurable> durable_;
  std::unique_ptr<CrdtPort> port_;
  std::map<int64_t, Waiting> waiting_;
  std::map<int64_t, std::shared_ptr<StreamSink>> streams_;    // open after a streamed reply
  std::map<int64_t, std::shared_ptr<StreamSink>> cancelling_;  // stream_cancelled sent, answer due
  int busy_ = 0;
  bool deleted_ = false;
  bool stopped_ = false;

  std::atomic<bool> dead_{false};
  std::atomic<int> open_streams_{0};
};

}  // namespace cloudstate::crdtentity
