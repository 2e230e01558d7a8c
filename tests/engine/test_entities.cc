#include "test_entities.h"

namespace cloudstate::testing {

void RegisterTestEntities(Engine& engine, const std::shared_ptr<Probe>& probe) {
  REQUIRE(engine.RegisterEventSourced("counter", CounterFactory(probe, "counter")).ok());
  REQUIRE(engine.RegisterEventSourced("snapcounter", CounterFactory(probe, "snapcounter", true)).ok());
  REQUIRE(engine.RegisterValueEntity("register", RegisterFactory(probe, "register")).ok());
  REQUIRE(engine.RegisterValueEntity("recorder", RecorderFactory(probe, "recorder")).ok());
}

}  // namespace cloudstate::testing
