// Reference model: seeded random commands (successes, rejections, crashes, engine reopens) against
// the engine and against a trivially correct model; every reply and the final store must agree.
#include <map>
#include <numeric>
#include <optional>
#include <random>

#include "harness.h"
#include "shared_store.h"

namespace cloudstate::testing {
namespace {

struct Model {
  std::map<std::string, int64_t> counters;                     // "type/id" -> total
  std::map<std::string, std::optional<std::string>> registers;  // id -> value
};

void RunModel(uint32_t seed) {
  CAPTURE(seed);
  std::mt19937 random(seed);
  auto pick = [&](int n) { return static_cast<int>(random() % n); };
  auto memory = NewMemoryStore();
  EngineOptions options = MemoryOptions();
  options.snapshot_every = 3;
  auto harness = std::make_unique<Harness>(options, std::make_unique<SharedStore>(memory));
  Model model;

  for (int step = 0; step < 600; ++step) {
    CAPTURE(step);
    std::string type = pick(2) == 0 ? "counter" : "snapcounter";
    std::string id = std::to_string(pick(4));
    std::string key = type + "/" + id;
    int64_t n = 1 + pick(5);
    int op = pick(100);
    if (op < 40) {
      model.counters[key] += n;
      CHECK_EQ(IntOf(harness->Ask(type, id, pick(2) ? "Add" : "AddOnes", Int64(n))),
               model.counters[key]);
    } else if (op < 47) {
      CHECK_EQ(CodeOf(harness->Ask(type, id, "AddThenFail", Int64(n))), StatusCode::kCommandFailed);
    } else if (op < 52) {
      CHECK_EQ(CodeOf(harness->Ask(type, id, "AddThenThrow", Int64(n))), StatusCode::kInternal);
    } else if (op < 55) {
      CHECK_EQ(CodeOf(harness->Ask(type, id, "Add", Int64(kPoisonEvent))), StatusCode::kInternal);
    } else if (op < 65) {
      CHECK_EQ(IntOf(harness->Ask(type, id, "Get", Int64(0))), model.counters[key]);
    } else if (op < 75) {
      std::string value = std::to_string(step) + "v";
      model.registers[id] = value;
      CHECK_EQ(StrOf(harness->Ask("register", id, "Set", Str(value))), value);
    } else if (op < 79) {
      model.registers[id].reset();
      CHECK_EQ(StrOf(harness->Ask("register", id, "Delete", Str(""))), "<none>");
    } else if (op < 83) {
      CHECK_EQ(CodeOf(harness->Ask("register", id, "SetThenFail", Str("lost"))), StatusCode::kCommandFailed);
    } else if (op < 98) {
      CHECK_EQ(StrOf(harness->Ask("register", id, "Get", Str(""))), model.registers[id].value_or("<none>"));
    } else {
      CHECK(harness->probe->Violations().empty());
      harness.reset();
      harness = std::make_unique<Harness>(options, std::make_unique<SharedStore>(memory));
    }
  }

  CHECK(harness->probe->Violations().empty());
  for (const auto& [key, total] : model.counters) {
    CAPTURE(key);
    auto slash = key.find('/');
    auto events = harness->StoredEvents(key.substr(0, slash), key.substr(slash + 1));
    CHECK_EQ(std::accumulate(events.begin(), events.end(), int64_t{0}), total);
  }
}

TEST_CASE("Random commands agree with a reference model (seed 1)") { RunModel(1); }
TEST_CASE("Random commands agree with a reference model (seed 2)") { RunModel(2); }
TEST_CASE("Random commands agree with a reference model (seed 3)") { RunModel(3); }

}  // namespace
}  // namespace cloudstate::testing
