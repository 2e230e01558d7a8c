// The contexts a CRDT handler's calls receive: the state slot every call that may change the CRDT
// shares, the command context, the cancel context and the change-callback context.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cloudstate/crdt_entity.h"
#include "crdtentity/crdt_codec.h"
#include "entity/recording_context.h"

namespace cloudstate::crdtentity {

// The entity's CRDT for one call: created, changed or deleted in place; the handler turns what
// happened into a state action afterwards.
class CrdtStateSlotImpl {
 public:
  explicit CrdtStateSlotImpl(std::unique_ptr<CrdtValue>& state) : state_(state) {}

  CrdtValue* Get() { return state_.get(); }
  CrdtValue& GetOrCreate(CrdtKind kind, std::string& broken) {
    if (!state_) {
      state_ = NewCrdt(kind);
      created_ = true;
    } else if (state_->kind() != kind) {
      broken = "asked for a CRDT of another kind than the entity holds";
      scratch_ = NewCrdt(kind);
      return *scratch_;
    }
    return *state_;
  }
  void Delete() {
    state_.reset();
    deleted_ = true;
  }
  void SetConsistency(WriteConsistency consistency) { consistency_ = consistency; }

  bool deleted() const { return deleted_; }
  bool created() const { return created_; }
  WriteConsistency consistency() const { return consistency_; }

 private:
  std::unique_ptr<CrdtValue>& state_;
  std::unique_ptr<CrdtValue> scratch_;
  bool created_ = false;
  bool deleted_ = false;
  WriteConsistency consistency_ = WriteConsistency::kLocal;
};

class CrdtCommandCtxImpl final : public RecordingContext<CrdtCommandContext> {
 public:
  CrdtCommandCtxImpl(const EntityCommand& command, int64_t command_id, bool streamed, CrdtStateSlotImpl& slot)
      : RecordingContext(command, command_id), streamed_(streamed), slot_(slot) {}

  CrdtValue* State() override { return slot_.Get(); }
  using CrdtStateAccess::State;
  CrdtValue& StateOrCreate(CrdtKind kind) override {
    std::string broken;
    CrdtValue& value = slot_.GetOrCreate(kind, broken);
    if (!broken.empty()) MarkBroken(broken);
    return value;
  }
  using CrdtStateAccess::StateOrCreate;
  void DeleteState() override { slot_.Delete(); }
  void SetWriteConsistency(WriteConsistency consistency) override { slot_.SetConsistency(consistency); }

  bool IsStreamed() const override { return streamed_; }
  void OnChange(CrdtChangeCallback callback) override {
    if (!streamed_) return MarkBroken("registered a change callback on a command that is not streamed");
    on_change_ = std::move(callback);
  }
  void OnCancel(CrdtCancelCallback callback) override {
    if (!streamed_) return MarkBroken("registered a cancel callback on a command that is not streamed");
    on_cancel_ = std::move(callback);
  }

  bool subscribed() const { return on_change_ || on_cancel_; }
  CrdtChangeCallback on_change_;
  CrdtCancelCallback on_cancel_;

 private:
  const bool streamed_;
  CrdtStateSlotImpl& slot_;
};

class CrdtCancelCtxImpl final : public CrdtCancelContext {
 public:
  CrdtCancelCtxImpl(const std::string& entity_id, int64_t command_id, CrdtStateSlotImpl& slot)
      : entity_id_(entity_id), command_id_(command_id), slot_(slot) {}

  const std::string& EntityId() const override { return entity_id_; }
  int64_t CommandId() const override { return command_id_; }
  CrdtValue* State() override { return slot_.Get(); }
  using CrdtStateAccess::State;
  CrdtValue& StateOrCreate(CrdtKind kind) override { return slot_.GetOrCreate(kind, broken_); }
  using CrdtStateAccess::StateOrCreate;
  void DeleteState() override { slot_.Delete(); }
  void SetWriteConsistency(WriteConsistency consistency) override { slot_.SetConsistency(consistency); }
  void SideEffect(EntityCommand command, bool synchronous) override {
    side_effects_.push_back(SideEffectCall{std::move(command), synchronous});
  }

  std::vector<SideEffectCall> side_effects_;
  std::string broken_;

 private:
  const std::string& entity_id_;
  const int64_t command_id_;
  CrdtStateSlotImpl& slot_;
};

class CrdtStreamCtxImpl final : public CrdtStreamContext {
 public:
  CrdtStreamCtxImpl(const std::string& entity_id, int64_t command_id, const CrdtValue* state)
      : entity_id_(entity_id), command_id_(command_id), state_(state) {}

  const std::string& EntityId() const override { return entity_id_; }
  int64_t CommandId() const override { return command_id_; }
  const CrdtValue* State() const override { return state_; }
  using CrdtStreamContext::State;
  void Reply(google::protobuf::Any payload, MetadataEntries metadata) override {
    if (End()) outcome_.reply = CommandReply{std::move(payload), std::move(metadata)};
  }
  using CrdtStreamContext::Reply;
  void Forward(EntityCommand command) override {
    if (End()) outcome_.forward = std::move(command);
  }
  void SideEffect(EntityCommand command, bool synchronous) override {
    outcome_.side_effects.push_back(SideEffectCall{std::move(command), synchronous});
  }
  void EndStream() override { end_stream_ = true; }

  CommandOutcome outcome_;
  bool acted_ = false;
  bool end_stream_ = false;
  std::string broken_;

 private:
  bool End() {
    if (acted_) {
      broken_ = "sent two messages from one change callback";
      return false;
    }
    acted_ = true;
    return true;
  }

  const std::string& entity_id_;
  const int64_t command_id_;
  const CrdtValue* state_;
};

}  // namespace cloudstate::crdtentity
