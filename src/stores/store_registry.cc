#include "cloudstate/store_registry.h"

namespace cloudstate {

Status StoreRegistry::Register(std::unique_ptr<StoreFactory> factory) {
  std::string kind(factory->Kind());
  if (kind.empty()) return Status::InvalidArgument("a store factory needs a kind");
  if (factories_.count(kind)) return Status::InvalidArgument("store kind '" + kind + "' is already registered");
  factories_.emplace(std::move(kind), std::move(factory));
  return Status::Ok();
}

const StoreFactory* StoreRegistry::Find(std::string_view kind) const {
  auto it = factories_.find(kind);
  return it == factories_.end() ? nullptr : it->second.get();
}

Result<std::unique_ptr<Store>> StoreRegistry::Open(const StoreOptions& options) const {
  const StoreFactory* factory = Find(options.kind);
  if (factory == nullptr) {
    std::string known;
    for (const auto& [kind, unused] : factories_) known += (known.empty() ? "" : ", ") + kind;
    return Status::NotFound("unknown store kind '" + options.kind + "' (registered: " + known + ")");
  }
  if (Status status = factory->Validate(options); !status.ok()) return status;
  return factory->Create(options);
}

}  // namespace cloudstate
