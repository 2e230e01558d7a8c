// Stores are plugins: a registry per engine instance maps a store kind ("sqlite", "leveldb",
// "memory", ...) to a factory. Registries are filled by explicit calls, never by static
// initialisers, so two engines in one process can use different sets of stores.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "cloudstate/status.h"
#include "cloudstate/store.h"

namespace cloudstate {

// How much a commit survives before the store acknowledges it.
enum class Durability {
  kSync,      // fsync before acknowledging; concurrent commits share one sync (group commit). Default.
  kBuffered,  // written to the OS before acknowledging: survives a process crash, not a power loss
};

struct StoreOptions {
  // Registered store kind. The built-ins are "sqlite", "leveldb" and "memory" (tests and dev only:
  // nothing survives the process).
  std::string kind = "sqlite";
  // File (sqlite) or directory (leveldb); created when missing. Ignored by "memory".
  std::string path;
  Durability durability = Durability::kSync;
  // Store-specific settings; each factory documents and validates its own.
  std::map<std::string, std::string> settings;
};

// The one factory shape of every store plugin.
class StoreFactory {
 public:
  virtual ~StoreFactory() = default;
  virtual std::string_view Kind() const = 0;
  // Checks the options without touching anything on disk.
  virtual Status Validate(const StoreOptions& options) const = 0;
  virtual Result<std::unique_ptr<Store>> Create(const StoreOptions& options) const = 0;
};

// Not thread-safe while being filled; safe to share read-only afterwards.
class StoreRegistry {
 public:
  // InvalidArgument when a factory of the same kind is already registered.
  Status Register(std::unique_ptr<StoreFactory> factory);
  const StoreFactory* Find(std::string_view kind) const;
  // Finds the factory, validates the options, then creates the store.
  Result<std::unique_ptr<Store>> Open(const StoreOptions& options) const;

 private:
  std::map<std::string, std::unique_ptr<StoreFactory>, std::less<>> factories_;
};

void RegisterMemoryStore(StoreRegistry& registry);
void RegisterSqliteStore(StoreRegistry& registry);
void RegisterLevelDbStore(StoreRegistry& registry);
// All of the above.
void RegisterBuiltinStores(StoreRegistry& registry);

}  // namespace cloudstate
