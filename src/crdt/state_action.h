// A user function's CrdtStateAction applied to the replica slot an entity holds: an update creates
// the CRDT on first use or changes it; a delete empties the slot (the runtime then replicates the
// deletion and ends the entity's stream).
#pragma once

#include <optional>

#include "crdt/crdt.h"

namespace cloudstate::replicated {

enum class StateActionOutcome { kNone, kUpdated, kDeleted };

Result<StateActionOutcome> ApplyStateAction(std::optional<Crdt>& replica, const ReplicaId& self,
                                            const ::cloudstate::crdt::CrdtStateAction& action, int64_t now_ms);

}  // namespace cloudstate::replicated
