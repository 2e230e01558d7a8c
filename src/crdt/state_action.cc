#include "crdt/state_action.h"

namespace cloudstate::replicated {

Result<StateActionOutcome> ApplyStateAction(std::optional<Crdt>& replica, const ReplicaId& self,
                                            const ::cloudstate::crdt::CrdtStateAction& action, int64_t now_ms) {
  using Action = ::cloudstate::crdt::CrdtStateAction;
  switch (action.action_case()) {
    case Action::kUpdate: {
      if (replica) {
        Status applied = replica->ApplyUpdate(action.update(), now_ms);
        if (!applied.ok()) return applied;
        return StateActionOutcome::kUpdated;
      }
      Result<Crdt> created = Crdt::FromUpdate(self, action.update(), now_ms);
      if (!created.ok()) return created.status();
      replica.emplace(std::move(created).value());
      return StateActionOutcome::kUpdated;
    }
    case Action::kDelete:
      replica.reset();
      return StateActionOutcome::kDeleted;
    case Action::ACTION_NOT_SET:
      break;
  }
  return StateActionOutcome::kNone;
}

}  // namespace cloudstate::replicated
