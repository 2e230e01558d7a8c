// How CRDT deltas leave a node and arrive from others. The engine owns one replicator; every CRDT
// entity publishes its local changes through it with the write consistency its handler asked for,
// and hears of other nodes' changes from it. Deltas travel as the encoded replica state of
// docs/formats/crdt-state.md, so an implementation moves bytes and never looks inside. A single
// node uses the local replicator (every consistency is met at once); the cluster plugin implements
// this interface with gossip between nodes.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cloudstate/status.h"

namespace cloudstate {

// What a write must reach before its command's reply goes out (the protocol's CrdtWriteConsistency).
enum class ReplicaConsistency { kLocal, kMajority, kAll };

// Receives other nodes' changes for the CRDTs of one persistence id. Called from any thread, one
// call at a time per listener; must not block.
class ReplicaListener {
 public:
  virtual ~ReplicaListener() = default;
  // A delta or full state of entity `entity_id`, encoded (EncodeCrdtState).
  virtual void OnDelta(const std::string& entity_id, const std::string& state) = 0;
  // The entity's CRDT was deleted on another node.
  virtual void OnDelete(const std::string& entity_id) = 0;
  // Members joined or left: Vote tallies change.
  virtual void OnMembersChanged() = 0;
};

// Safe to call from any thread.
class Replicator {
 public:
  virtual ~Replicator() = default;

  // This node's replica id: the writer named in every dot it creates. Stable across restarts of a
  // node that kept its store; two live nodes never share one.
  virtual std::string SelfId() const = 0;
  // The replica ids of the members that are up, this node included (the voters of a Vote).
  virtual std::vector<std::string> UpMembers() const = 0;

  // Sends a delta of (persistence_id, entity_id) to the other nodes. `done` runs once, from any
  // thread: OK when `consistency` is met, DeadlineExceeded or Unavailable when it cannot be.
  virtual void Publish(const std::string& persistence_id, const std::string& entity_id, std::string delta,
                       ReplicaConsistency consistency, std::function<void(Status)> done) = 0;
  // Deletes the CRDT on every node, with the same acknowledgement rules.
  virtual void PublishDelete(const std::string& persistence_id, const std::string& entity_id,
                             ReplicaConsistency consistency, std::function<void(Status)> done) = 0;

  // Delivers other nodes' changes for `persistence_id` to `listener` until the returned handle is
  // destroyed. One listener per persistence id.
  class Subscription {
   public:
    virtual ~Subscription() = default;
  };
  virtual std::unique_ptr<Subscription> Subscribe(const std::string& persistence_id,
                                                  std::shared_ptr<ReplicaListener> listener) = 0;
};

// A single node: no other replicas, every consistency met at once. Replica id `self_id`.
std::shared_ptr<Replicator> NewLocalReplicator(std::string self_id = "local");

}  // namespace cloudstate
