// A CRDT's full state in the store's value role (encoded as docs/formats/crdt-state.md describes,
// in an Any of type kCrdtStateTypeUrl). Writes go out one at a time, each carrying the newest
// state, so a burst of changes costs one write per store round trip. A Conflict (another node wrote
// the same key) is resolved the CRDT way: read theirs, merge, write again. Not thread-safe: used
// from its entity's serial queue; store completions come back through `post`.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cloudstate/store.h"
#include "crdt/crdt.h"

namespace cloudstate::crdtentity {

inline constexpr char kCrdtStateTypeUrl[] = "type.cloudstate.io/cloudstate.crdtstate.CrdtStateRecord";

class CrdtDurable {
 public:
  using Post = std::function<void(std::function<void()>)>;
  // The state to write now (nullopt: deleted).
  using Current = std::function<std::optional<replicated::CrdtState>()>;
  // Merges a state another writer stored.
  using Adopt = std::function<void(const replicated::CrdtState&)>;

  CrdtDurable(ValueStore& values, EntityKey key, Post post, Current current, Adopt adopt);

  // The stored state (nullopt: none). Corruption for unreadable bytes.
  Result<std::optional<replicated::CrdtState>> Load();
  // Writes the current state; `done` runs (through `post`) once a write started after this call is
  // durable, or failed.
  void Save(std::function<void(Status)> done);

 private:
  void Start();
  void Written(Status status);

  ValueStore& values_;
  const EntityKey key_;
  Post post_;
  Current current_;
  Adopt adopt_;
  int64_t version_ = 0;
  bool in_flight_ = false;
  int conflicts_ = 0;
  std::vector<std::function<void(Status)>> next_;     // wait for a write not started yet
  std::vector<std::function<void(Status)>> current_waiters_;  // wait for the write in flight
};

}  // namespace cloudstate::crdtentity
