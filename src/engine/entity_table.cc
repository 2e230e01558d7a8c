#include "engine/entity_table.h"

namespace cloudstate {

Status EntityTable::Enqueue(const std::shared_ptr<const EntityType>& type, EntityCommand&& command, ReplyCallback& done,
                            std::shared_ptr<StreamSink> stream) {
  // Type names hold no NUL (checked at registration), so this key is unambiguous.
  std::string key = type->name;
  key.push_back('\0');
  key += command.entity_id;
  Shard& shard = ShardFor(key);
  std::shared_ptr<EntityInstance> run_here;
  Status queued;
  {
    std::lock_guard lock(shard.mu);
    auto& instance = shard.entities[key];
    if (!instance) instance = std::make_shared<EntityInstance>(host_, type, command.entity_id, mailbox_capacity_);
    bool here = false;
    queued = instance->Enqueue(std::move(command), done, std::move(stream), &here);
    if (here) run_here = instance;
  }
  // Without the shard's lock: the command may complete, and its reply send more, before this returns.
  if (run_here) run_here->RunQueued();
  return queued;
}

size_t EntityTable::Passivate(Env::Clock::time_point now) {
  size_t dropped = 0;
  for (Shard& shard : shards_) {
    std::vector<std::shared_ptr<EntityInstance>> idle;  // released outside the lock
    {
      std::lock_guard lock(shard.mu);
      for (auto it = shard.entities.begin(); it != shard.entities.end();) {
        if (it->second->IdleSince(now)) {
          idle.push_back(std::move(it->second));
          it = shard.entities.erase(it);
        } else {
          ++it;
        }
      }
    }
    dropped += idle.size();
  }
  return dropped;
}

size_t EntityTable::Clear() {
  size_t dropped = 0;
  for (Shard& shard : shards_) {
    std::unordered_map<std::string, std::shared_ptr<EntityInstance>> entities;
    {
      std::lock_guard lock(shard.mu);
      entities.swap(shard.entities);
    }
    dropped += entities.size();
  }
  return dropped;
}

size_t EntityTable::Size() const {
  size_t size = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    size += shard.entities.size();
  }
  return size;
}

}  // namespace cloudstate
