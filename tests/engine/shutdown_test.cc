// Shutdown: commands accepted before it complete, later ones get Unavailable, every entity is
// passivated, it is idempotent, the destructor does it, and every callback runs exactly once.
#include <thread>

#include "harness.h"
#include "shared_store.h"

namespace cloudstate::testing {
namespace {

TEST_CASE("Shutdown finishes accepted commands and refuses later ones") {
  Harness harness;
  CHECK_EQ(IntOf(harness.Ask("counter", "other", "Add", Int64(1))), 1);
  auto blocked = SendAsync(*harness.engine, MakeCommand("counter", "c1", "Block", Int64(1)));
  REQUIRE(WaitUntil([&] { return harness.probe->blocked.load() == 1; }));
  std::vector<std::shared_ptr<Outcome>> queued;
  for (int i = 0; i < 5; ++i) queued.push_back(SendAsync(*harness.engine, MakeCommand("counter", "c1", "Add", Int64(1))));

  std::atomic<bool> shut{false};
  std::thread shutdown([&] {
    harness.engine->Shutdown();
    shut = true;
  });

  // Probe until the engine refuses; probes it still accepted must succeed.
  std::vector<std::shared_ptr<Outcome>> probes;
  bool refusing = WaitUntil([&] {
    auto probe = SendAsync(*harness.engine, MakeCommand("counter", "late", "Add", Int64(1)));
    probe->Wait();
    probes.push_back(probe);
    return probe->Done() && probe->Code() == StatusCode::kUnavailable;
  });
  CHECK(refusing);
  CHECK_FALSE(shut.load());  // still waiting for the blocked command

  harness.probe->gate.Open();
  shutdown.join();
  REQUIRE(blocked->Wait());
  CHECK_EQ(IntOf(blocked->Get()), 1);
  for (int i = 0; i < 5; ++i) {
    REQUIRE(queued[i]->Wait());
    CHECK_EQ(IntOf(queued[i]->Get()), 2 + i);
  }
  for (auto& probe : probes) {
    CHECK_EQ(probe->Calls(), 1);
    CHECK((probe->Code() == StatusCode::kOk || probe->Code() == StatusCode::kUnavailable));
  }
  CHECK_EQ(harness.Highest("counter", "c1"), 6);
  CHECK_EQ(harness.engine->Stats().active_entities, 0);

  // After Shutdown: Unavailable, exactly once.
  auto after = SendAsync(*harness.engine, MakeCommand("counter", "c1", "Add", Int64(1)));
  REQUIRE(after->Wait());
  CHECK_EQ(after->Code(), StatusCode::kUnavailable);
  CHECK_EQ(CodeOf(harness.Ask("register", "r1", "Get", Str(""))), StatusCode::kUnavailable);
  CHECK_EQ(harness.Highest("counter", "c1"), 6);

  harness.engine->Shutdown();  // idempotent
  harness.engine.reset();
  CHECK_EQ(after->Calls(), 1);
  CHECK_EQ(blocked->Calls(), 1);
}

TEST_CASE("Destroying the engine completes every accepted command") {
  auto memory = NewMemoryStore();
  std::vector<std::shared_ptr<Outcome>> outcomes;
  {
    Harness harness(MemoryOptions(), std::make_unique<SharedStore>(memory));
    for (int i = 0; i < 100; ++i) {
      std::string id = std::to_string(i % 5);
      outcomes.push_back(SendAsync(*harness.engine, MakeCommand("counter", id, "Add", Int64(1))));
      outcomes.push_back(SendAsync(*harness.engine, MakeCommand("register", id, "Set", Str(std::to_string(i)))));
    }
  }  // ~Engine shuts down: no waiting before it
  for (auto& outcome : outcomes) {
    CHECK(outcome->Done());
    CHECK_EQ(outcome->Calls(), 1);
    CHECK_EQ(outcome->Code(), StatusCode::kOk);
  }
  for (int i = 0; i < 5; ++i) {
    auto highest = memory->journal().HighestSequence(EntityKey{"counter", std::to_string(i)});
    REQUIRE(highest.ok());
    CHECK_EQ(*highest, 20);
    auto value = memory->values().Read(EntityKey{"register", std::to_string(i)});
    REQUIRE(value.ok());
    REQUIRE(value->value.has_value());  // the last Set of entity i was command 95 + i
    CHECK_EQ(Unpack<google::protobuf::StringValue>(*value->value)->value(), std::to_string(95 + i));
  }
}

TEST_CASE("Shutdown with nothing in flight passivates every entity") {
  Harness harness;
  for (int i = 0; i < 4; ++i) CHECK_EQ(IntOf(harness.Ask("counter", std::to_string(i), "Add", Int64(1))), 1);
  CHECK_EQ(StrOf(harness.Ask("register", "r", "Set", Str("x"))), "x");
  CHECK_EQ(harness.engine->Stats().active_entities, 5);
  harness.engine->Shutdown();
  EngineStats stats = harness.engine->Stats();
  CHECK_EQ(stats.active_entities, 0);
  CHECK_EQ(stats.passivations, 5);
}

TEST_CASE("Shutdown from several threads at once") {
  Harness harness;
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1))), 1);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back([&] { harness.engine->Shutdown(); });
  for (auto& thread : threads) thread.join();
  CHECK_EQ(CodeOf(harness.Ask("counter", "c1", "Get", Int64(0))), StatusCode::kUnavailable);
}

TEST_CASE("Senders racing the destructor each get exactly one callback") {
  std::vector<std::shared_ptr<Outcome>> outcomes[4];
  std::atomic<bool> stop{false};
  {
    Harness harness;
    Engine* engine = harness.engine.get();
    std::vector<std::thread> senders;
    std::atomic<int> sent{0};
    for (int t = 0; t < 4; ++t) {
      senders.emplace_back([&, t] {
        for (int i = 0; !stop.load() && i < 100000; ++i) {
          outcomes[t].push_back(SendAsync(*engine, MakeCommand("counter", std::to_string(i % 7), "Add", Int64(1))));
          ++sent;
        }
      });
    }
    REQUIRE(WaitUntil([&] { return sent.load() >= 200; }));
    engine->Shutdown();
    stop = true;
    for (auto& sender : senders) sender.join();
  }
  int ok = 0, unavailable = 0, other = 0;
  for (auto& list : outcomes) {
    for (auto& outcome : list) {
      REQUIRE(outcome->Wait());
      CHECK_EQ(outcome->Calls(), 1);
      switch (outcome->Code()) {
        case StatusCode::kOk: ++ok; break;
        case StatusCode::kUnavailable: ++unavailable; break;
        default: ++other; MESSAGE(outcome->Get().status().ToString());
      }
    }
  }
  CHECK_GT(ok, 0);
  CHECK_EQ(other, 0);
  MESSAGE("ok " << ok << ", unavailable " << unavailable);
}

}  // namespace
}  // namespace cloudstate::testing
