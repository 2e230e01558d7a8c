// Engine::Open: validates options, opens the store, builds the environment.
#include <future>

#include "cloudstate/engine.h"
#include "engine/engine_impl.h"

namespace cloudstate {
namespace {

Status ValidateOptions(const EngineOptions& options) {
  if (options.worker_threads < 0) return Status::InvalidArgument("worker_threads cannot be negative");
  if (options.passivation_timeout.count() <= 0) return Status::InvalidArgument("passivation_timeout must be positive");
  if (options.snapshot_every < 0) return Status::InvalidArgument("snapshot_every cannot be negative");
  if (options.mailbox_capacity == 0) return Status::InvalidArgument("mailbox_capacity must be at least 1");
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Engine>> Engine::Open(EngineOptions options) {
  StoreRegistry registry;
  RegisterBuiltinStores(registry);
  return Open(std::move(options), registry);
}

Result<std::unique_ptr<Engine>> Engine::Open(EngineOptions options, const StoreRegistry& registry) {
  if (Status status = ValidateOptions(options); !status.ok()) return status;
  Result<std::unique_ptr<Store>> store = registry.Open(options.store);
  if (!store.ok()) return store.status();
  return Open(std::move(options), std::move(*store));
}

Result<std::unique_ptr<Engine>> Engine::Open(EngineOptions options, std::unique_ptr<Store> store) {
  if (Status status = ValidateOptions(options); !status.ok()) return status;
  if (!store) return Status::InvalidArgument("no store given");
  std::shared_ptr<Env> env = options.env ? options.env : NewDefaultEnv(options.worker_threads);
  return std::unique_ptr<Engine>(std::make_unique<EngineImpl>(std::move(options), std::move(store), std::move(env)));
}

Result<CommandReply> Engine::SendAndWait(EntityCommand command) {
  std::promise<Result<CommandReply>> promise;
  auto future = promise.get_future();
  Send(std::move(command), [&promise](Result<CommandReply> result) { promise.set_value(std::move(result)); });
  return future.get();
}

}  // namespace cloudstate
