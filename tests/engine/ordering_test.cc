// The actor promise: one command at a time per entity, in arrival order per sender, while
// different entities run in parallel; under concurrent load nothing is lost or doubled.
#include <array>
#include <numeric>
#include <set>
#include <thread>

#include "harness.h"

namespace cloudstate::testing {
namespace {

std::string EntityId(int n) { return std::to_string(n) + "-e"; }

// Checks that each sender's commands reached the entity in the order they were sent.
void CheckOrderPerSender(const EntityLog& log, int senders) {
  std::vector<int> last(senders, -1);
  for (const auto& command : log.commands) {
    std::string sender = command.Get("sender");
    if (sender.empty()) continue;
    int s = std::stoi(sender);
    int seq = std::stoi(command.Get("seq"));
    CHECK_MESSAGE(seq > last[s], "sender " << s << " command " << seq << " after " << last[s]);
    last[s] = seq;
  }
}

TEST_CASE("Concurrent senders to one entity: one command at a time, each sender's order kept") {
  Harness harness;
  constexpr int kSenders = 4;
  constexpr int kPerSender = 200;
  std::vector<std::vector<std::shared_ptr<Outcome>>> outcomes(kSenders);
  std::vector<std::thread> threads;
  for (int s = 0; s < kSenders; ++s) {
    threads.emplace_back([&, s] {
      for (int i = 0; i < kPerSender; ++i) {
        MetadataEntries metadata = {{"sender", std::to_string(s)}, {"seq", std::to_string(i)}, {"slow", "1"}};
        outcomes[s].push_back(
            SendAsync(*harness.engine, MakeCommand("counter", "hot", "Add", Int64(1), std::move(metadata))));
      }
    });
  }
  for (auto& thread : threads) thread.join();

  std::set<int64_t> totals;
  for (auto& sender : outcomes) {
    for (auto& outcome : sender) {
      REQUIRE(outcome->Wait());
      CHECK_EQ(outcome->Calls(), 1);
      totals.insert(IntOf(outcome->Get()));
    }
  }
  // Serial handling means every reply saw a different total: exactly 1..N.
  CHECK_EQ(totals.size(), kSenders * kPerSender);
  CHECK_EQ(*totals.begin(), 1);
  CHECK_EQ(*totals.rbegin(), kSenders * kPerSender);
  CHECK_EQ(IntOf(harness.Ask("counter", "hot", "Get", Int64(0))), kSenders * kPerSender);
  CHECK_EQ(harness.Highest("counter", "hot"), kSenders * kPerSender);
  CheckOrderPerSender(harness.probe->Log("counter/hot"), kSenders);
  CHECK(harness.probe->Violations().empty());
}

TEST_CASE("A value entity keeps one sender's order") {
  Harness harness;
  std::vector<std::shared_ptr<Outcome>> outcomes;
  for (int i = 1; i <= 100; ++i) {
    outcomes.push_back(SendAsync(*harness.engine, MakeCommand("register", "r1", "Set", Str(std::to_string(i)),
                                                              {{"sender", "0"}, {"seq", std::to_string(i)}})));
  }
  for (int i = 0; i < 100; ++i) {
    REQUIRE(outcomes[i]->Wait());
    CHECK_EQ(StrOf(outcomes[i]->Get()), std::to_string(i + 1));
  }
  CHECK_EQ(StrOf(harness.Ask("register", "r1", "Get", Str(""))), "100");
  CheckOrderPerSender(harness.probe->Log("register/r1"), 1);
  auto stored = harness.engine->store().values().Read(EntityKey{"register", "r1"});
  REQUIRE(stored.ok());
  REQUIRE(stored->value.has_value());
  CHECK_EQ(Unpack<google::protobuf::StringValue>(*stored->value)->value(), "100");
  // A version counts writes; the commands that queued behind one write share the next.
  CHECK(stored->version >= 1);
  CHECK(stored->version <= 100);
}

TEST_CASE("Many threads and many entities: final counts equal the successful commands") {
  Harness harness;
  constexpr int kThreads = 6;
  constexpr int kEntities = 12;
  constexpr int kCommands = 150;
  std::array<std::atomic<int64_t>, kEntities> added{};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCommands; ++i) {
        int entity = (t * 7 + i * 5) % kEntities;
        int64_t amount = 1 + (i % 3);
        auto reply = harness.engine->SendAndWait(
            MakeCommand("counter", EntityId(entity), "Add", Int64(amount)));
        if (reply.ok()) {
          added[entity] += amount;
        } else {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK_EQ(failures.load(), 0);
  for (int e = 0; e < kEntities; ++e) {
    CAPTURE(e);
    std::string id = EntityId(e);
    CHECK_EQ(IntOf(harness.Ask("counter", id, "Get", Int64(0))), added[e].load());
    auto events = harness.StoredEvents("counter", id);
    CHECK_EQ(std::accumulate(events.begin(), events.end(), int64_t{0}), added[e].load());
  }
  CHECK(harness.probe->Violations().empty());
  EngineStats stats = harness.engine->Stats();
  CHECK_EQ(stats.active_entities, kEntities);
  CHECK_EQ(stats.activations, kEntities);
}

TEST_CASE("Different entities run at the same time") {
  Harness harness;  // four workers
  auto a = SendAsync(*harness.engine, MakeCommand("counter", "a", "Block", Int64(1)));
  auto b = SendAsync(*harness.engine, MakeCommand("register", "b", "Block", Str("x")));
  // Both handlers inside at once is only possible when entities are not serialised together.
  bool both_inside = WaitUntil([&] { return harness.probe->blocked.load() == 2; });
  harness.probe->gate.Open();
  CHECK(both_inside);
  REQUIRE(a->Wait());
  REQUIRE(b->Wait());
  CHECK_EQ(IntOf(a->Get()), 1);
  CHECK_EQ(StrOf(b->Get()), "x");
  CHECK(harness.probe->Violations().empty());
}

TEST_CASE("A busy entity does not hold up the others") {
  Harness harness;
  auto blocked = SendAsync(*harness.engine, MakeCommand("counter", "busy", "Block", Int64(1)));
  REQUIRE(WaitUntil([&] { return harness.probe->blocked.load() == 1; }));
  auto queued = SendAsync(*harness.engine, MakeCommand("counter", "busy", "Add", Int64(1)));
  for (int i = 0; i < 20; ++i) CHECK_EQ(IntOf(harness.Ask("counter", "free", "Add", Int64(1))), i + 1);
  CHECK_FALSE(queued->Done());  // still behind the blocked command
  harness.probe->gate.Open();
  REQUIRE(blocked->Wait());
  REQUIRE(queued->Wait());
  CHECK_EQ(IntOf(blocked->Get()), 1);
  CHECK_EQ(IntOf(queued->Get()), 2);
}

}  // namespace
}  // namespace cloudstate::testing
