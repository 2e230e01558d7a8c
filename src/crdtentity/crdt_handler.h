// The handler side of one CRDT entity: runs the user's CrdtEntity on the value it was told about
// (init, then the runtime's deltas) and answers with replies, state actions and messages for the
// callers of streamed commands. Used in-process by the engine and over the protocol by the function
// server. Not thread-safe: one call at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cloudstate/crdt_entity.h"
#include "crdtentity/crdt_answer.h"
#include "entity/target_check.h"

namespace cloudstate::crdtentity {

class CrdtStateSlotImpl;

class CrdtHandler {
 public:
  // `check_target` refuses forwards and side effects nobody can route (null: no check).
  CrdtHandler(std::unique_ptr<CrdtEntity> entity, std::string entity_id, TargetCheck check_target);
  ~CrdtHandler();

  // The state the runtime holds (nullopt: no CRDT yet). InvalidArgument for an unusable delta.
  Status Init(const std::optional<::cloudstate::crdt::CrdtDelta>& state);
  // A change made elsewhere; the answers are the subscribers' messages.
  Result<std::vector<CrdtAnswer>> Delta(const ::cloudstate::crdt::CrdtDelta& delta);
  // The CRDT was deleted elsewhere: state and subscriptions are gone.
  void Delete();
  // The reply first, then messages the change causes for other streamed commands.
  std::vector<CrdtAnswer> Command(const EntityCommand& command, int64_t command_id, bool streamed);
  // The caller of streamed command `command_id` went away: the cancel answer first, then messages
  // its change causes.
  std::vector<CrdtAnswer> Cancelled(int64_t command_id);

  const CrdtValue* state() const { return state_.get(); }

 private:
  struct Subscriber {
    CrdtChangeCallback on_change;
    CrdtCancelCallback on_cancel;
  };

  // Runs the change callbacks of every subscriber, in command id order.
  void Notify(std::vector<CrdtAnswer>& answers);
  // The state action of a finished call, or nullopt; restores the state when `rollback`.
  std::optional<::cloudstate::crdt::CrdtStateAction> Finish(CrdtStateSlotImpl& slot, bool rollback,
                                                           const std::optional<::cloudstate::crdt::CrdtDelta>& before);
  std::string Label() const;

  std::unique_ptr<CrdtEntity> entity_;
  const std::string entity_id_;
  TargetCheck check_target_;
  std::unique_ptr<CrdtValue> state_;
  std::map<int64_t, Subscriber> subscribers_;
};

}  // namespace cloudstate::crdtentity
