// The port to an in-process CrdtEntity: the handler side (CrdtHandler) answers at once.
#pragma once

#include "cloudstate/crdt_entity.h"
#include "crdtentity/crdt_port.h"
#include "entity/target_check.h"

namespace cloudstate::crdtentity {

CrdtPortFactory MakeInProcessPortFactory(CrdtEntityFactory factory, TargetCheck check_target);

}  // namespace cloudstate::crdtentity
