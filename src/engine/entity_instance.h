// One live entity: a mailbox and a strand. Commands run one at a time in arrival order on the
// engine's workers; the next starts only after the previous one's state change is durable. A
// runtime that handles batches (EntityRuntime::MaxBatch) gets the commands waiting in the mailbox
// as one unit, made durable with one write.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cloudstate/command.h"
#include "cloudstate/engine.h"
#include "engine/entity_host.h"
#include "engine/entity_type.h"

namespace cloudstate {

class EntityInstance : public std::enable_shared_from_this<EntityInstance> {
 public:
  EntityInstance(EntityHost& host, std::shared_ptr<const EntityType> type, std::string entity_id,
                 size_t mailbox_capacity);

  // Queues a command; ResourceExhausted when the mailbox is full. The entity table calls this with
  // its shard locked, which keeps Enqueue and TryPassivate from racing.
  // `done` is moved from only on success.
  // `stream` is set for a streamed command (see EntityRuntime::HandleStreamed).
  // *run_here is set when the command is to start on the caller's thread (EntityRuntime::RunsInline):
  // the caller must then call RunQueued() once it holds no lock.
  Status Enqueue(EntityCommand&& command, ReplyCallback& done, std::shared_ptr<StreamSink> stream, bool* run_here);
  void RunQueued() { RunNext(); }

  // True when the entity has been idle for its passivation timeout; it must then be dropped.
  bool IdleSince(Env::Clock::time_point now) const;

 private:
  struct Pending {
    EntityCommand command;
    ReplyCallback done;
    std::shared_ptr<StreamSink> stream;
  };

  // Commands handed to the runtime together: the oldest, and when the runtime takes batches, the
  // plain (not streamed) commands queued behind it. `dones` runs parallel to `commands`.
  struct Unit {
    std::vector<EntityCommand> commands;
    std::vector<ReplyCallback> dones;
    std::shared_ptr<StreamSink> stream;  // only in a unit of one streamed command
  };
  struct Completion;

  void RunNext();
  Unit TakeUnit(size_t max);
  // Back on the strand once the unit's outcomes are durable (or failed): the commands the runtime
  // left unhandled go back to the front of the mailbox, the handled ones are released in order.
  void Complete(std::vector<CommandOutcome> outcomes, Unit unit);
  // A fresh runtime loaded from the store; on failure none, and the error logged with `reason`.
  Status Activate(const std::string& reason);
  // Marks the strand free or starts the next command. Called last on the strand.
  void ScheduleNextOrIdle();
  std::string Label() const;

  EntityHost& host_;
  const std::shared_ptr<const EntityType> type_;
  const std::string entity_id_;
  const size_t mailbox_capacity_;

  mutable std::mutex mu_;
  std::deque<Pending> mailbox_;
  bool running_ = false;  // a command is scheduled or being handled
  Env::Clock::time_point last_active_;

  // Touched on the strand only.
  std::unique_ptr<EntityRuntime> runtime_;
  int64_t next_command_id_ = 1;
};

}  // namespace cloudstate
