// The identity of one replica of a CRDT: in a cluster, one node's address. Every dot a replica
// creates carries its id, so two live replicas must never share one, and a replica that lost its
// state must come back under a new id (otherwise it would reuse dots others have already seen).
#pragma once

#include <compare>
#include <string>
#include <utility>

namespace cloudstate::replicated {

class ReplicaId {
 public:
  ReplicaId() = default;
  explicit ReplicaId(std::string name) : name_(std::move(name)) {}

  const std::string& name() const { return name_; }
  // Ordered byte-wise: a LWWRegister tie between equal timestamps goes to the lower id.
  auto operator<=>(const ReplicaId&) const = default;

 private:
  std::string name_;
};

}  // namespace cloudstate::replicated
