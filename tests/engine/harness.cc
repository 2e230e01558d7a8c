#include "harness.h"

#include <climits>

namespace cloudstate::testing {

EngineOptions MemoryOptions(int worker_threads) {
  EngineOptions options;
  options.store.kind = "memory";
  options.worker_threads = worker_threads;
  return options;
}

Harness::Harness(EngineOptions options) { Start(Engine::Open(std::move(options))); }

Harness::Harness(EngineOptions options, std::unique_ptr<Store> store) {
  Start(Engine::Open(std::move(options), std::move(store)));
}

void Harness::Start(Result<std::unique_ptr<Engine>> opened) {
  REQUIRE_MESSAGE(opened.ok(), opened.status().ToString());
  engine = std::move(opened).value();
  probe->engine = engine.get();
  RegisterTestEntities(*engine, probe);
}

Result<CommandReply> Harness::Ask(const std::string& type, const std::string& id, const std::string& name,
                           const google::protobuf::Message& payload, MetadataEntries metadata) {
  return engine->SendAndWait(MakeCommand(type, id, name, payload, std::move(metadata)));
}

std::vector<int64_t> Harness::StoredEvents(const std::string& persistence_id, const std::string& id) {
  std::vector<int64_t> values;
  int64_t expected = 1;
  Status status = engine->store().journal().ReadEvents(
      EntityKey{persistence_id, id}, 1, [&](const StoredEvent& event) {
        CHECK_EQ(event.sequence, expected++);
        auto value = Unpack<google::protobuf::Int64Value>(event.payload);
        values.push_back(value.ok() ? value->value() : INT64_MIN);
        return true;
      });
  CHECK_MESSAGE(status.ok(), status.ToString());
  return values;
}

int64_t Harness::Highest(const std::string& persistence_id, const std::string& id) {
  auto highest = engine->store().journal().HighestSequence(EntityKey{persistence_id, id});
  REQUIRE_MESSAGE(highest.ok(), highest.status().ToString());
  return *highest;
}

}  // namespace cloudstate::testing
