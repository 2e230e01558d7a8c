// The live entities of an engine, keyed by (type, id), split into shards so that commands to
// different entities rarely contend on one lock.
#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/entity_instance.h"

namespace cloudstate {

class EntityTable {
 public:
  EntityTable(EntityHost& host, size_t mailbox_capacity) : host_(host), mailbox_capacity_(mailbox_capacity) {}

  // Queues the command on its entity, activating a new instance when none is live. `done` is moved
  // from only when the command was queued, so a caller can still fail it.
  Status Enqueue(const std::shared_ptr<const EntityType>& type, EntityCommand&& command, ReplyCallback& done,
                 std::shared_ptr<StreamSink> stream = nullptr);

  // Drops the entities idle past their type's timeout; returns how many.
  size_t Passivate(Env::Clock::time_point now);

  // Drops every entity (all must be idle); returns how many.
  size_t Clear();

  size_t Size() const;

 private:
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, std::shared_ptr<EntityInstance>> entities;
  };
  static constexpr size_t kShards = 32;

  Shard& ShardFor(const std::string& key) { return shards_[std::hash<std::string>{}(key) % kShards]; }

  EntityHost& host_;
  const size_t mailbox_capacity_;
  std::array<Shard, kShards> shards_;
};

}  // namespace cloudstate
