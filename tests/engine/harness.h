// An engine opened for a test with the test entities registered and a Probe watching them.
#pragma once

#include <memory>
#include <string>

#include "cloudstate/engine.h"
#include "probe.h"
#include "test_entities.h"
#include "outcome.h"
#include "test_util.h"

namespace cloudstate::testing {

// The in-memory store and four workers: enough for tests that keep a handler blocked.
EngineOptions MemoryOptions(int worker_threads = 4);

class Harness {
 public:
  // Opens the engine from the built-in stores; fails the test when it cannot.
  explicit Harness(EngineOptions options = MemoryOptions());
  // Runs on a store the test made (e.g. a SharedStore).
  Harness(EngineOptions options, std::unique_ptr<Store> store);

  Result<CommandReply> Ask(const std::string& type, const std::string& id, const std::string& name,
                    const google::protobuf::Message& payload, MetadataEntries metadata = {});
  // Every event payload stored for type/id, as Int64Values, in sequence order.
  std::vector<int64_t> StoredEvents(const std::string& persistence_id, const std::string& id);
  int64_t Highest(const std::string& persistence_id, const std::string& id);

  std::shared_ptr<Probe> probe = std::make_shared<Probe>();
  // Declared after the probe: destroyed (and shut down) first.
  std::unique_ptr<Engine> engine;

 private:
  void Start(Result<std::unique_ptr<Engine>> opened);
};

}  // namespace cloudstate::testing
