// The part of a command context every state model shares: it records how the handler ended the
// command (reply, failure, forward or nothing) and its side effects, and notices broken results.
#pragma once

#include <exception>
#include <string>
#include <utility>

#include "cloudstate/command_context.h"
#include "entity/command_outcome.h"

namespace cloudstate {

// Base is the public context interface of a state model (derived from CommandContext).
template <typename Base>
class RecordingContext : public Base {
 public:
  RecordingContext(const EntityCommand& command, int64_t command_id) : command_(command), command_id_(command_id) {}

  const std::string& EntityId() const override { return command_.entity_id; }
  const std::string& CommandName() const override { return command_.name; }
  int64_t CommandId() const override { return command_id_; }
  const MetadataEntries& CommandMetadata() const override { return command_.metadata; }

  void Reply(google::protobuf::Any payload, MetadataEntries metadata = {}) override {
    if (End("Reply")) reply_ = cloudstate::CommandReply{std::move(payload), std::move(metadata)};
  }
  using Base::Reply;

  void Fail(std::string description) override {
    if (End("Fail")) failure_ = std::move(description);
  }

  void Forward(EntityCommand command) override {
    if (End("Forward")) forward_ = std::move(command);
  }

  void SideEffect(EntityCommand command, bool synchronous) override {
    side_effects_.push_back(SideEffectCall{std::move(command), synchronous});
  }

  // Records that the handler broke the contract (or threw); the first reason wins.
  void MarkBroken(std::string reason) {
    if (broken_.empty()) broken_ = std::move(reason);
  }
  // Runs the user's handler, turning any exception into a broken result.
  template <typename Fn>
  void RunHandler(Fn&& fn) {
    try {
      fn();
    } catch (const std::exception& e) {
      MarkBroken(std::string("handler threw: ") + e.what());
    } catch (...) {
      MarkBroken("handler threw a non-standard exception");
    }
  }

  bool broken() const { return !broken_.empty(); }
  bool failed() const { return failure_.has_value(); }

  // The outcome for the caller. `entity_label()` names the entity in error messages; it is called
  // only on failure, keeping string building off the common path.
  CommandOutcome TakeOutcome(const std::string& entity_label) {
    return TakeOutcome([&entity_label] { return entity_label; });
  }
  template <typename LabelFn>
  CommandOutcome TakeOutcome(const LabelFn& entity_label) {
    if (broken()) {
      return CommandOutcome::Failed(
          Status::Internal(entity_label() + " handling " + command_.name + ": " + broken_ + "; entity restarted"), true);
    }
    if (failed()) return CommandOutcome::Failed(Status::CommandFailed(std::move(*failure_)), false);
    CommandOutcome outcome;
    if (reply_) outcome.reply = std::move(*reply_);
    outcome.forward = std::move(forward_);
    outcome.side_effects = std::move(side_effects_);
    return outcome;
  }

 private:
  // Allows one ending per command; a second one breaks the result.
  bool End(const char* how) {
    if (ended_ != nullptr) {
      MarkBroken(std::string("called ") + how + " after " + ended_);
      return false;
    }
    ended_ = how;
    return true;
  }

  const EntityCommand& command_;
  const int64_t command_id_;
  const char* ended_ = nullptr;
  std::optional<cloudstate::CommandReply> reply_;
  std::optional<std::string> failure_;
  std::optional<EntityCommand> forward_;
  std::vector<SideEffectCall> side_effects_;
  std::string broken_;
};

}  // namespace cloudstate
