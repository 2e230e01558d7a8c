#include "support/stores.h"

#include <cstdlib>
#include <iostream>

namespace cloudstate::bench {
namespace {

class BorrowedStore final : public Store {
 public:
  explicit BorrowedStore(Store& store) : store_(store) {}
  Journal& journal() override { return store_.journal(); }
  ValueStore& values() override { return store_.values(); }
  std::string Describe() const override { return store_.Describe(); }

 private:
  Store& store_;
};

}  // namespace

std::string StorePath(const std::string& dir, const std::string& kind, const std::string& name) {
  if (kind == "sqlite") return dir + "/" + name + ".db";
  if (kind == "leveldb") return dir + "/" + name + ".ldb";
  return "";
}

StoreOptions MakeStoreOptions(const std::string& kind, std::string path, Durability durability) {
  StoreOptions options;
  options.kind = kind;
  options.path = std::move(path);
  options.durability = durability;
  return options;
}

std::unique_ptr<Store> OpenStoreOrDie(const StoreOptions& options) {
  StoreRegistry registry;
  RegisterBuiltinStores(registry);
  Result<std::unique_ptr<Store>> store = registry.Open(options);
  CheckOk(store.status(), "opening the " + options.kind + " store");
  return std::move(*store);
}

std::unique_ptr<Store> Borrow(Store& store) { return std::make_unique<BorrowedStore>(store); }

const char* DurabilityName(Durability durability) { return durability == Durability::kSync ? "sync" : "buffered"; }

void CheckOk(const Status& status, const std::string& what) {
  if (status.ok()) return;
  std::cerr << "benchmark aborted: " << what << ": " << status.ToString() << std::endl;
  std::exit(1);
}

}  // namespace cloudstate::bench
