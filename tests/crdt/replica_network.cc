#include "replica_network.h"

#include <doctest/doctest.h>

#include "crdt/state_codec.h"

namespace cloudstate::replicated::testing {

ReplicaNetwork::ReplicaNetwork(CrdtType type, int replicas, uint32_t seed)
    : random_(seed), known_(replicas), pending_ops_(replicas) {
  for (int i = 0; i < replicas; ++i) replicas_.emplace_back(ReplicaId("node-" + std::to_string(i)), type);
}

void ReplicaNetwork::RecordOp(int i, int op) {
  known_[i].insert(op);
  pending_ops_[i].insert(op);
}

void ReplicaNetwork::Broadcast(int i) {
  CrdtState delta = replicas_[i].TakeDelta();
  std::set<int> ops = std::move(pending_ops_[i]);
  pending_ops_[i].clear();
  std::string bytes = EncodeCrdtState(delta);
  for (int to = 0; to < size(); ++to) {
    if (to == i) continue;
    int copies = Chance(25) ? 2 : 1;
    for (int c = 0; c < copies; ++c) queue_.push_back(Message{to, bytes, ops});
  }
}

void ReplicaNetwork::SendFullState(int from, int to) {
  queue_.push_back(Message{to, EncodeCrdtState(replicas_[from].FullState()), known_[from]});
}

bool ReplicaNetwork::DeliverOne() {
  if (queue_.empty()) return false;
  size_t index = static_cast<size_t>(Pick(static_cast<int>(queue_.size())));
  Message message = std::move(queue_[index]);
  queue_[index] = std::move(queue_.back());
  queue_.pop_back();
  Deliver(message);
  return true;
}

void ReplicaNetwork::Deliver(const Message& message) {
  Result<CrdtState> state = DecodeCrdtState(message.bytes);
  REQUIRE(state.ok());
  REQUIRE(replicas_[message.to].Merge(*state).ok());
  known_[message.to].insert(message.ops.begin(), message.ops.end());
  ++delivered_;
}

void ReplicaNetwork::Churn() {
  if (Chance(40)) Broadcast(Pick(size()));
  int deliveries = Pick(4);
  for (int d = 0; d < deliveries; ++d) DeliverOne();
  if (Chance(5)) {
    int from = Pick(size());
    SendFullState(from, (from + 1 + Pick(size() - 1)) % size());
  }
}

void ReplicaNetwork::Settle() {
  for (int i = 0; i < size(); ++i) Broadcast(i);
  while (DeliverOne()) {
  }
}

google::protobuf::Any Element(int n) {
  google::protobuf::Any any;
  any.set_type_url("type.googleapis.com/test.Element");
  any.set_value("e" + std::to_string(n));
  return any;
}

}  // namespace cloudstate::replicated::testing
