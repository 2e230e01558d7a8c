// The event-sourced test counter (see test_entities.h for its commands).
#include <stdexcept>
#include <thread>

#include "entity_routing.h"
#include "test_entities.h"

namespace cloudstate::testing {
namespace {

using google::protobuf::Any;
using google::protobuf::Int64Value;

class Counter final : public EventSourcedEntity {
 public:
  Counter(std::shared_ptr<Probe> probe, std::string key, bool snapshots)
      : probe_(std::move(probe)), key_(std::move(key)), snapshots_(snapshots) {
    probe_->Instance(key_);
  }

  Status HandleSnapshot(const Any& snapshot, int64_t sequence) override {
    probe_->SnapshotHandled(key_, sequence);
    if (!snapshots_) return Status::InvalidArgument("snapshot given to a counter that takes none");
    auto value = Unpack<Int64Value>(snapshot);
    if (!value.ok()) return value.status();
    total_ = value->value();
    last_sequence_ = sequence;
    return Status::Ok();
  }

  Status HandleEvent(const Any& event, int64_t sequence) override {
    probe_->EventHandled(key_, sequence);
    if (sequence != last_sequence_ + 1) {
      probe_->Violation(key_ + ": event " + std::to_string(sequence) + " after " + std::to_string(last_sequence_));
    }
    auto value = Unpack<Int64Value>(event);
    if (!value.ok()) return value.status();
    if (value->value() == kPoisonEvent) return Status::InvalidArgument("poison event refused");
    if (value->value() == kThrowingEvent) throw std::runtime_error("event handler exploded");
    total_ += value->value();
    last_sequence_ = sequence;
    return Status::Ok();
  }

  std::optional<Any> Snapshot() override {
    probe_->SnapshotTaken(key_);
    if (!snapshots_) return std::nullopt;
    Any any;
    any.PackFrom(Int64(total_));
    return any;
  }

  void HandleCommand(const Any& command, EventSourcedCommandContext& ctx) override {
    probe_->EnterCommand(key_, CommandRecord{ctx.CommandName(), ctx.CommandId(), ctx.CommandMetadata()});
    struct Leave {
      Probe& probe;
      const std::string& key;
      ~Leave() { probe.LeaveCommand(key); }
    } leave{*probe_, key_};
    for (const auto& [k, v] : ctx.CommandMetadata()) {
      if (k == "slow") {
        for (int i = 0; i < 200; ++i) std::this_thread::yield();
      }
    }
    Handle(command, ctx);
  }

 private:
  void Handle(const Any& command, EventSourcedCommandContext& ctx) {
    const std::string& name = ctx.CommandName();
    int64_t n = 0;
    if (auto value = Unpack<Int64Value>(command); value.ok()) n = value->value();

    if (name == "Get") return ctx.Reply(Int64(total_));
    if (name == "Sequence") return ctx.Reply(Int64(ctx.Sequence()));
    if (name == "CommandId") return ctx.Reply(Int64(ctx.CommandId()));
    if (name == "Echo") {
      MetadataEntries metadata = ctx.CommandMetadata();
      metadata.emplace_back("entity-id", ctx.EntityId());
      metadata.emplace_back("command-name", ctx.CommandName());
      return ctx.Reply(Int64(n), std::move(metadata));
    }
    if (name == "EmitSwallowing") {
      // A handler that hides its event handler's failure from the engine.
      try {
        ctx.Emit(Int64(n));
      } catch (...) {
      }
      return ctx.Reply(Int64(total_));
    }
    if (name == "AddOnes") {
      for (int64_t i = 0; i < n; ++i) ctx.Emit(Int64(1));
      return ctx.Reply(Int64(total_));
    }

    if (n != 0) ctx.Emit(Int64(n));
    if (name == "Add") {
      AddSideEffects(ctx, command, key_, ctx.Sequence());
      if (MaybeForward(ctx, command, key_, ctx.Sequence())) return;
      return ctx.Reply(Int64(total_));
    }
    if (name == "Silent") return;
    if (name == "Block") {
      probe_->blocked++;
      if (!probe_->gate.Wait()) probe_->Violation(key_ + ": gate never opened");
      return ctx.Reply(Int64(total_));
    }
    if (name == "AddThenFail") {
      AddSideEffects(ctx, command, key_, ctx.Sequence());
      return ctx.Fail("rejected: " + std::to_string(n));
    }
    if (name == "AddThenThrow") {
      AddSideEffects(ctx, command, key_, ctx.Sequence());
      throw std::runtime_error("handler exploded");
    }
    if (name == "ThrowInt") throw 42;
    if (name == "ReplyTwice") {
      ctx.Reply(Int64(total_));
      return ctx.Reply(Int64(total_));
    }
    if (name == "ReplyAndFail") {
      ctx.Reply(Int64(total_));
      return ctx.Fail("and also failed");
    }
    if (name == "ReplyAndForward") {
      ctx.Reply(Int64(total_));
      return ctx.Forward(MakeCommand("counter", "elsewhere", "Get", Int64(0)));
    }
    if (name == "EmitEmptyTypeUrl") {
      ctx.Emit(Any());
      return ctx.Reply(Int64(total_));
    }
    ctx.Fail("unknown command " + name);
  }

  std::shared_ptr<Probe> probe_;
  std::string key_;
  bool snapshots_;
  int64_t total_ = 0;
  int64_t last_sequence_ = 0;
};

}  // namespace

EventSourcedFactory CounterFactory(std::shared_ptr<Probe> probe, std::string entity_type, bool snapshots) {
  return [probe = std::move(probe), type = std::move(entity_type), snapshots](const std::string& id) {
    return std::make_unique<Counter>(probe, type + "/" + id, snapshots);
  };
}

}  // namespace cloudstate::testing
