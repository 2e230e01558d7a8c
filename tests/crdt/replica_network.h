// A simulated cluster of CRDT replicas for property tests: local operations on any replica,
// deltas and full states sent as encoded bytes, delivered in random order, some twice. Each
// message also carries the ids of the operations it reflects, so a reference model can tell what
// each replica has seen.
#pragma once

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <google/protobuf/any.pb.h>

#include "crdt/crdt.h"

namespace cloudstate::replicated::testing {

class ReplicaNetwork {
 public:
  ReplicaNetwork(CrdtType type, int replicas, uint32_t seed);

  int size() const { return static_cast<int>(replicas_.size()); }
  Crdt& replica(int i) { return replicas_[i]; }
  int Pick(int n) { return static_cast<int>(random_() % static_cast<uint32_t>(n)); }
  bool Chance(int percent) { return Pick(100) < percent; }
  std::mt19937& random() { return random_; }

  // Records that replica `i` just did operation `op` (an id the model chose).
  void RecordOp(int i, int op);
  // Operations replica `i` has seen, its own included.
  const std::set<int>& Known(int i) const { return known_[i]; }

  // Replica i's pending delta to every other replica (each copy possibly sent twice).
  void Broadcast(int i);
  void SendFullState(int from, int to);
  // Delivers one queued message picked at random; false when none is queued.
  bool DeliverOne();
  // After an operation: maybe broadcast, maybe deliver a few, maybe a full-state merge.
  void Churn();
  // Broadcasts every pending delta and delivers everything, in random order.
  void Settle();

  size_t messages_delivered() const { return delivered_; }

 private:
  struct Message {
    int to;
    std::string bytes;
    std::set<int> ops;
  };
  void Deliver(const Message& message);

  std::mt19937 random_;
  std::vector<Crdt> replicas_;
  std::vector<std::set<int>> known_;
  std::vector<std::set<int>> pending_ops_;
  std::vector<Message> queue_;
  size_t delivered_ = 0;
};

// An Any element with a short readable payload.
google::protobuf::Any Element(int n);

}  // namespace cloudstate::replicated::testing
