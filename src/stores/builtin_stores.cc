#include "cloudstate/store_registry.h"

namespace cloudstate {

void RegisterBuiltinStores(StoreRegistry& registry) {
  RegisterMemoryStore(registry);
  RegisterSqliteStore(registry);
  RegisterLevelDbStore(registry);
}

}  // namespace cloudstate
