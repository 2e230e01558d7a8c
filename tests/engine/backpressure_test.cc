// Backpressure: an entity's mailbox is bounded; commands beyond it are refused at once with
// ResourceExhausted, other entities are unaffected, and everything accepted completes.
#include <thread>

#include "harness.h"

namespace cloudstate::testing {
namespace {

TEST_CASE("A full mailbox refuses further commands until the entity catches up") {
  EngineOptions options = MemoryOptions();
  options.mailbox_capacity = 2;
  Harness harness(options);

  auto blocked = SendAsync(*harness.engine, MakeCommand("counter", "c1", "Block", Int64(1)));
  REQUIRE(WaitUntil([&] { return harness.probe->blocked.load() == 1; }));

  constexpr int kExtra = 10;
  std::vector<std::shared_ptr<Outcome>> extra;
  for (int i = 0; i < kExtra; ++i) {
    extra.push_back(SendAsync(*harness.engine, MakeCommand("counter", "c1", "Add", Int64(1))));
  }
  auto refused = [&] {
    int n = 0;
    for (auto& outcome : extra) n += outcome->Done() && outcome->Code() == StatusCode::kResourceExhausted;
    return n;
  };
  // The capacity bounds the waiting commands; whether the running one counts is the engine's choice.
  CHECK(WaitUntil([&] { return refused() >= kExtra - 2; }));
  // While the entity is blocked, the only commands answered are the refused ones, answered at once
  // (and on a worker thread, not inside Send).
  for (auto& outcome : extra) {
    if (!outcome->Done()) continue;
    CHECK_EQ(outcome->Code(), StatusCode::kResourceExhausted);
    CHECK_FALSE(outcome->RanOnThread(std::this_thread::get_id()));
  }
  CHECK_LE(refused(), kExtra - 1);

  // Other entities are not held back.
  CHECK_EQ(IntOf(harness.Ask("counter", "c2", "Add", Int64(1))), 1);

  harness.probe->gate.Open();
  REQUIRE(blocked->Wait());
  CHECK_EQ(IntOf(blocked->Get()), 1);
  int accepted = 0;
  for (auto& outcome : extra) {
    REQUIRE(outcome->Wait());
    CHECK_EQ(outcome->Calls(), 1);
    if (outcome->Code() == StatusCode::kOk) ++accepted;
  }
  CHECK_EQ(accepted, kExtra - refused());
  CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Get", Int64(0))), 1 + accepted);
  CHECK_EQ(harness.Highest("counter", "c1"), 1 + accepted);

  // Drained: the mailbox takes commands again.
  for (int i = 0; i < 5; ++i) CHECK_EQ(IntOf(harness.Ask("counter", "c1", "Add", Int64(1))), 2 + accepted + i);
}

}  // namespace
}  // namespace cloudstate::testing
