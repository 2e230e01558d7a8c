#include "crdt/flag.h"

namespace cloudstate::replicated {

void FlagStore::Enable(Mutation& mutation, FlagStore& delta) {
  if (Value()) return;
  Dot dot = mutation.NewDot();
  enablers = {dot};
  delta.enablers = {dot};
}

}  // namespace cloudstate::replicated
