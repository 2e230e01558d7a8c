// Passivation: an entity idle for passivation_timeout (engine-wide or per type) leaves memory and
// comes back from the store on its next command. Time is driven by a manual clock, never by sleeping
// (one test uses the real clock with a tiny timeout and polls).
#include <array>
#include <thread>

#include "harness.h"
#include "manual_clock_env.h"

namespace cloudstate::testing {
namespace {

constexpr std::chrono::milliseconds kTimeout = 1000ms;

EngineOptions ClockedOptions(const std::shared_ptr<Env>& env, std::chrono::milliseconds timeout) {
  EngineOptions options = MemoryOptions();
  options.env = env;
  options.passivation_timeout = timeout;
  return options;
}

// An engine on a manual clock. The env is declared first so it outlives the engine.
struct Clocked {
  std::shared_ptr<ManualClockEnv> env = std::make_shared<ManualClockEnv>(4);
  Harness harness;
  explicit Clocked(std::chrono::milliseconds timeout = kTimeout) : harness(ClockedOptions(env, timeout)) {}

  EngineStats Stats() { return harness.engine->Stats(); }

  // Moves the clock by `by` and lets due timers (and what they start) run.
  void Advance(std::chrono::milliseconds by) {
    env->Advance(by);
    REQUIRE(env->WaitForFiredTimers());
  }

  // Steps the clock until `done` holds, at most `limit` in total; returns the time advanced, or
  // nullopt when `done` never held. Polls a little after each step: what a timer starts may hop
  // onto an entity's strand before it shows.
  std::optional<std::chrono::milliseconds> AdvanceUntil(const std::function<bool()>& done,
                                                        std::chrono::milliseconds step,
                                                        std::chrono::milliseconds limit) {
    for (std::chrono::milliseconds total{0}; total < limit;) {
      Advance(step);
      total += step;
      if (WaitUntil(done, 50ms)) return total;
    }
    return std::nullopt;
  }

  // Nothing passivates for a while: a bounded negative check (a correct engine never gets there).
  bool StaysActive() {
    return !WaitUntil([this] { return Stats().passivations > 0; }, 100ms);
  }
};

TEST_CASE("An idle entity is passivated after the timeout, not before") {
  Clocked c;
  CHECK_EQ(IntOf(c.harness.Ask("counter", "c1", "Add", Int64(5))), 5);
  CHECK_EQ(c.Stats().active_entities, 1);
  CHECK_EQ(c.Stats().activations, 1);

  c.Advance(kTimeout * 9 / 10);
  CHECK(c.StaysActive());
  CHECK_EQ(c.Stats().active_entities, 1);

  auto after = c.AdvanceUntil([&] { return c.Stats().passivations == 1; }, 50ms, 3 * kTimeout);
  REQUIRE(after.has_value());
  CHECK(WaitUntil([&] { return c.Stats().active_entities == 0; }));
  CHECK_EQ(c.Stats().passivations, 1);
}

TEST_CASE("A command restarts the idle clock") {
  Clocked c;
  CHECK_EQ(IntOf(c.harness.Ask("counter", "c1", "Add", Int64(1))), 1);
  c.Advance(kTimeout * 6 / 10);
  CHECK_EQ(IntOf(c.harness.Ask("counter", "c1", "Add", Int64(1))), 2);
  c.Advance(kTimeout * 6 / 10);  // 1.2 timeouts since the first command, 0.6 since the last
  CHECK(c.StaysActive());

  auto after = c.AdvanceUntil([&] { return c.Stats().passivations == 1; }, 50ms, 3 * kTimeout);
  REQUIRE(after.has_value());
  CHECK_GE(kTimeout * 6 / 10 + *after, kTimeout);  // idle for at least the timeout since the last command
  CHECK_EQ(c.Stats().activations, 1);
}

TEST_CASE("A passivated entity comes back with its state on the next command") {
  Clocked c;
  CHECK_EQ(IntOf(c.harness.Ask("counter", "c1", "Add", Int64(5))), 5);
  CHECK_EQ(IntOf(c.harness.Ask("counter", "c1", "Add", Int64(6))), 11);
  CHECK_EQ(IntOf(c.harness.Ask("counter", "c1", "CommandId", Int64(0))), 3);
  CHECK_EQ(StrOf(c.harness.Ask("register", "r1", "Set", Str("kept"))), "kept");
  REQUIRE(c.AdvanceUntil([&] { return c.Stats().active_entities == 0; }, 100ms, 3 * kTimeout));
  CHECK_EQ(c.Stats().passivations, 2);

  CHECK_EQ(IntOf(c.harness.Ask("counter", "c1", "CommandId", Int64(0))), 1);  // a new activation
  CHECK_EQ(IntOf(c.harness.Ask("counter", "c1", "Get", Int64(0))), 11);
  CHECK_EQ(StrOf(c.harness.Ask("register", "r1", "Get", Str(""))), "kept");
  EngineStats stats = c.Stats();
  CHECK_EQ(stats.activations, 4);
  CHECK_EQ(stats.active_entities, 2);
  CHECK_EQ(stats.restarts, 0);

  EntityLog log = c.harness.probe->Log("counter/c1");
  CHECK_EQ(log.instances, 2);
  CHECK_EQ(log.event_seqs, (std::vector<int64_t>{1, 2, 1, 2}));  // emitted, then replayed
  CHECK_EQ(c.harness.probe->Log("register/r1").instances, 2);
  CHECK(c.harness.probe->Violations().empty());
}

TEST_CASE("A per-type passivation timeout overrides the engine's") {
  Clocked c(std::chrono::hours(1));
  EntityTypeOptions quick;
  quick.passivation_timeout = kTimeout;
  REQUIRE(c.harness.engine->RegisterEventSourced("quick", CounterFactory(c.harness.probe, "quick"), quick).ok());

  CHECK_EQ(IntOf(c.harness.Ask("quick", "q1", "Add", Int64(1))), 1);
  CHECK_EQ(IntOf(c.harness.Ask("counter", "c1", "Add", Int64(1))), 1);
  REQUIRE(c.AdvanceUntil([&] { return c.Stats().passivations == 1; }, 100ms, 3 * kTimeout));
  CHECK(WaitUntil([&] { return c.Stats().active_entities == 1; }));
  CHECK_EQ(IntOf(c.harness.Ask("counter", "c1", "Get", Int64(0))), 1);
  CHECK_EQ(c.harness.probe->Log("counter/c1").instances, 1);  // still the first one
  CHECK_EQ(IntOf(c.harness.Ask("quick", "q1", "Get", Int64(0))), 1);
  CHECK_EQ(c.harness.probe->Log("quick/q1").instances, 2);
}

TEST_CASE("A per-type timeout can also keep entities longer") {
  Clocked c(kTimeout);
  EntityTypeOptions sticky;
  sticky.passivation_timeout = std::chrono::hours(1);
  REQUIRE(c.harness.engine->RegisterValueEntity("sticky", RegisterFactory(c.harness.probe, "sticky"), sticky).ok());
  CHECK_EQ(StrOf(c.harness.Ask("sticky", "s1", "Set", Str("x"))), "x");
  CHECK_EQ(IntOf(c.harness.Ask("counter", "c1", "Add", Int64(1))), 1);
  REQUIRE(c.AdvanceUntil([&] { return c.Stats().passivations == 1; }, 100ms, 3 * kTimeout));
  c.Advance(5 * kTimeout);
  CHECK_EQ(c.Stats().active_entities, 1);
  CHECK_EQ(c.Stats().passivations, 1);
  CHECK_EQ(StrOf(c.harness.Ask("sticky", "s1", "Get", Str(""))), "x");
  CHECK_EQ(c.harness.probe->Log("sticky/s1").instances, 1);
}

TEST_CASE("An entity is not passivated in the middle of a command") {
  Clocked c;
  CHECK_EQ(IntOf(c.harness.Ask("counter", "c1", "Add", Int64(1))), 1);
  auto blocked = SendAsync(*c.harness.engine, MakeCommand("counter", "c1", "Block", Int64(1)));
  REQUIRE(WaitUntil([&] { return c.harness.probe->blocked.load() == 1; }));
  c.Advance(3 * kTimeout);
  CHECK_EQ(c.Stats().active_entities, 1);
  CHECK_EQ(c.Stats().passivations, 0);
  c.harness.probe->gate.Open();
  REQUIRE(blocked->Wait());
  CHECK_EQ(IntOf(blocked->Get()), 2);
  CHECK_EQ(c.harness.StoredEvents("counter", "c1"), (std::vector<int64_t>{1, 1}));
  CHECK_EQ(IntOf(c.harness.Ask("counter", "c1", "Get", Int64(0))), 2);
  CHECK(c.harness.probe->Violations().empty());
}

TEST_CASE("Many idle entities are all passivated") {
  Clocked c;
  for (int i = 0; i < 10; ++i) {
    CHECK_EQ(IntOf(c.harness.Ask("counter", std::to_string(i), "Add", Int64(i))), i);
  }
  CHECK_EQ(c.Stats().active_entities, 10);
  REQUIRE(c.AdvanceUntil([&] { return c.Stats().active_entities == 0; }, 100ms, 3 * kTimeout));
  CHECK_EQ(c.Stats().passivations, 10);
  for (int i = 0; i < 10; ++i) CHECK_EQ(IntOf(c.harness.Ask("counter", std::to_string(i), "Get", Int64(0))), i);
}

TEST_CASE("Passivation on the real clock with a tiny timeout") {
  EngineOptions options = MemoryOptions();
  options.passivation_timeout = 20ms;
  Harness harness(options);
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(3))), 3);
  REQUIRE(WaitUntil([&] { return harness.engine->Stats().passivations >= 1; }));
  CHECK(WaitUntil([&] { return harness.engine->Stats().active_entities == 0; }));
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(4))), 7);
  CHECK_GE(harness.engine->Stats().activations, 2);
}

TEST_CASE("Commands racing passivation are never lost") {
  EngineOptions options = MemoryOptions();
  options.passivation_timeout = 1ms;  // entities come and go all the time
  Harness harness(options);
  constexpr int kThreads = 4;
  constexpr int kCommands = 150;
  std::array<std::atomic<int64_t>, 3> added{};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCommands; ++i) {
        int entity = (t + i) % 3;
        auto reply = harness.engine->SendAndWait(MakeCommand("snapcounter", std::to_string(entity), "Add", Int64(1)));
        if (reply.ok()) added[entity] += 1;
        if (i % 10 == 0) std::this_thread::yield();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  int64_t total = 0;
  for (int e = 0; e < 3; ++e) {
    total += added[e].load();
    CHECK_EQ(IntOf(harness.Ask("snapcounter", std::to_string(e), "Get", Int64(0))), added[e].load());
  }
  CHECK_EQ(total, kThreads * kCommands);
  CHECK(harness.probe->Violations().empty());
  MESSAGE("activations: " << harness.engine->Stats().activations);
}

}  // namespace
}  // namespace cloudstate::testing
