// Opening the built-in stores the way an application does (through a StoreRegistry), and lending
// one store to several engines in turn.
#pragma once

#include <memory>
#include <string>

#include "cloudstate/store.h"
#include "cloudstate/store_registry.h"

namespace cloudstate::bench {

// Where a store of `kind` lives under `dir`: a file for sqlite, a directory for leveldb, nothing
// for memory.
std::string StorePath(const std::string& dir, const std::string& kind, const std::string& name);

StoreOptions MakeStoreOptions(const std::string& kind, std::string path, Durability durability);

// Opens a built-in store; a benchmark cannot go on without it, so failure exits with the reason.
std::unique_ptr<Store> OpenStoreOrDie(const StoreOptions& options);

// A Store that forwards to one it does not own, so an Engine (which owns its store) can be opened
// and closed several times over the same in-memory data.
std::unique_ptr<Store> Borrow(Store& store);

const char* DurabilityName(Durability durability);

// Prints `what: status` and exits when the status is not OK: a benchmark has no use for a partial run.
void CheckOk(const Status& status, const std::string& what);

}  // namespace cloudstate::bench
