// The store contract: what the engine needs to persist entities, split into small roles.
// Every write is conditional (on a journal sequence number or a value version), so a writer that
// lost ownership of an entity gets Conflict instead of overwriting; this is what makes Raft-free
// sharding safe. Every implementation passes the same conformance suite (tests/stores/).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <google/protobuf/any.pb.h>

#include "cloudstate/status.h"

namespace cloudstate {

// Identifies one entity's persisted data: the entity type's persistence id and the entity id.
struct EntityKey {
  std::string persistence_id;
  std::string entity_id;

  friend bool operator==(const EntityKey&, const EntityKey&) = default;
};

// One journal event as stored: sequence numbers start at 1 and grow by 1 per event of an entity.
struct StoredEvent {
  int64_t sequence = 0;
  google::protobuf::Any payload;
};

// The state of an event-sourced entity after the event with `sequence` was applied.
struct Snapshot {
  int64_t sequence = 0;
  google::protobuf::Any state;
};

// Appends `events` after `expected_sequence` (the sequence of the last event the writer has seen,
// 0 for a new entity) as one atomic unit: all events become visible or none. When `snapshot` is set
// it is saved in the same unit at the sequence of the last appended event.
struct JournalWrite {
  EntityKey key;
  int64_t expected_sequence = 0;
  std::vector<google::protobuf::Any> events;
  std::optional<google::protobuf::Any> snapshot;
};

// A value entity's stored state. Versions start at 1 on first write and grow by 1 per write;
// a delete is a write too (the version survives it, so a stale writer still gets Conflict).
struct VersionedValue {
  int64_t version = 0;
  std::optional<google::protobuf::Any> value;  // empty after a delete
};

// Replaces the value if the stored version equals `expected_version` (0: nothing written yet).
// An empty `value` deletes it.
struct ValueWrite {
  EntityKey key;
  int64_t expected_version = 0;
  std::optional<google::protobuf::Any> value;
};

// Called once a write is durable under the store's durability policy, or has failed.
// May run on the calling thread (before the write call returns) or on a store thread;
// it must not block.
using WriteCallback = std::function<void(Status)>;

// Visits events in sequence order; return false to stop early.
using EventVisitor = std::function<bool(const StoredEvent&)>;

// One event in the feed of its persistence id: the events of every entity under that persistence
// id, in the order their appends committed. Eventing consumers read a feed from the offset they
// last processed (an event-log source names a persistence id).
struct FeedEvent {
  // Position in the store's commit order: assigned when the append commits, greater than every
  // offset committed before it in the same store. Offsets of one feed grow but may have gaps.
  int64_t offset = 0;
  std::string entity_id;
  int64_t sequence = 0;  // the event's sequence in its entity's journal
  google::protobuf::Any payload;
};

// Visits feed events in offset order; return false to stop early.
using FeedVisitor = std::function<bool(const FeedEvent&)>;

// Event-sourced persistence: journal and snapshots. Safe to call from any thread.
class Journal {
 public:
  virtual ~Journal() = default;

  // Conditional atomic append (see JournalWrite). Conflict when the journal's highest sequence for
  // the key is not `expected_sequence`. Concurrent appends are grouped into one durable commit.
  virtual void Append(JournalWrite write, WriteCallback done) = 0;

  // Highest stored sequence for the key, 0 when it has no events.
  virtual Result<int64_t> HighestSequence(const EntityKey& key) = 0;

  // Visits the events with sequence >= from_sequence, in order.
  virtual Status ReadEvents(const EntityKey& key, int64_t from_sequence, const EventVisitor& visit) = 0;

  // The newest snapshot, or nullopt when none was saved.
  virtual Result<std::optional<Snapshot>> LoadSnapshot(const EntityKey& key) = 0;

  // Visits the events of every entity under `persistence_id` whose offset is greater than
  // `after_offset` (0: from the start), in offset order. Offsets become visible in order: once a
  // reader has seen offset N, no event at or below N appears later, so "everything after the last
  // offset I processed" never skips an event.
  virtual Status ReadFeed(const std::string& persistence_id, int64_t after_offset, const FeedVisitor& visit) = 0;
};

// Value-entity persistence. Safe to call from any thread.
class ValueStore {
 public:
  virtual ~ValueStore() = default;

  // Conditional write (see ValueWrite); Conflict when the stored version differs.
  // Concurrent writes are grouped into one durable commit.
  virtual void Write(ValueWrite write, WriteCallback done) = 0;

  // The stored value and its version; version 0 and no value when never written.
  virtual Result<VersionedValue> Read(const EntityKey& key) = 0;
};

// A store provides both roles. Closing (destruction) waits for writes already accepted.
class Store {
 public:
  virtual ~Store() = default;
  virtual Journal& journal() = 0;
  virtual ValueStore& values() = 0;
  // Human-readable description for logs, e.g. "sqlite:/var/lib/app/state.db (sync)".
  virtual std::string Describe() const = 0;
};

// Blocking conveniences over the asynchronous writes, for tools and tests.
Status AppendAndWait(Journal& journal, JournalWrite write);
Status WriteAndWait(ValueStore& values, ValueWrite write);

}  // namespace cloudstate
