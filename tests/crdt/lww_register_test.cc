// LWWRegister: the four clocks, the tie-break, and convergence under random writes with every
// clock, against a model: a replica's value is the best write (timestamp, then lower writer) among
// the effective writes it has seen.
#include <doctest/doctest.h>

#include <map>
#include <optional>

#include "crdt/any_key.h"
#include "property.h"
#include "replica_network.h"

namespace cloudstate::replicated::testing {
namespace {

namespace pb = ::cloudstate::crdt;

pb::CrdtDelta Write(int element, pb::CrdtClock clock, int64_t custom) {
  pb::CrdtDelta delta;
  *delta.mutable_lwwregister()->mutable_value() = Element(element);
  delta.mutable_lwwregister()->set_clock(clock);
  delta.mutable_lwwregister()->set_custom_clock_value(custom);
  return delta;
}

TEST_CASE("clocks derive the new timestamp as the protocol says") {
  CHECK(NextTimestamp(RegisterClock::kDefault, 5, 0, 100) == 100);
  CHECK(NextTimestamp(RegisterClock::kDefault, 100, 0, 100) == 101);
  CHECK(NextTimestamp(RegisterClock::kReverse, 0, 0, 100) == -100);
  CHECK(NextTimestamp(RegisterClock::kReverse, -100, 0, 100) == -101);
  CHECK(NextTimestamp(RegisterClock::kCustom, 50, 7, 100) == 7);
  CHECK(NextTimestamp(RegisterClock::kCustomAutoIncrement, 50, 7, 100) == 51);
  CHECK(NextTimestamp(RegisterClock::kCustomAutoIncrement, 5, 7, 100) == 7);
}

TEST_CASE("a write behind the current timestamp loses and makes no delta") {
  Crdt reg(ReplicaId("a"), CrdtType::kLwwRegister);
  REQUIRE(reg.ApplyUpdate(Write(1, pb::CUSTOM, 10), 0).ok());
  reg.TakeDelta();
  REQUIRE(reg.ApplyUpdate(Write(2, pb::CUSTOM, 3), 0).ok());
  CHECK_FALSE(reg.HasPendingDelta());
  CHECK(reg.View().lwwregister().value().value() == "e1");
  // REVERSE: the first write wins over later ones.
  Crdt first(ReplicaId("a"), CrdtType::kLwwRegister);
  REQUIRE(first.ApplyUpdate(Write(1, pb::REVERSE, 0), 1000).ok());
  REQUIRE(first.ApplyUpdate(Write(2, pb::REVERSE, 0), 2000).ok());
  CHECK(first.View().lwwregister().value().value() == "e1");
  // An absent value writes an empty Any.
  pb::CrdtDelta empty;
  empty.mutable_lwwregister();
  REQUIRE(reg.ApplyUpdate(empty, 1000).ok());
  CHECK(reg.View().lwwregister().value().ByteSizeLong() == 0);
}

TEST_CASE("equal timestamps: the lower writer wins on every replica") {
  Crdt a(ReplicaId("a"), CrdtType::kLwwRegister), b(ReplicaId("b"), CrdtType::kLwwRegister);
  REQUIRE(a.ApplyUpdate(Write(1, pb::CUSTOM, 5), 0).ok());
  REQUIRE(b.ApplyUpdate(Write(2, pb::CUSTOM, 5), 0).ok());
  CrdtState from_a = a.TakeDelta(), from_b = b.TakeDelta();
  REQUIRE(a.Merge(from_b).ok());
  REQUIRE(b.Merge(from_a).ok());
  CHECK(a.View().lwwregister().value().value() == "e1");
  CHECK(b.View().lwwregister().value().value() == "e1");
}

std::optional<StampedValue> Best(const std::map<int, StampedValue>& writes, const std::set<int>& known) {
  std::optional<StampedValue> best;
  for (int op : known) {
    const StampedValue& write = writes.at(op);
    if (!best || Wins(write, *best)) best = write;
  }
  return best;
}

TEST_CASE("LWWRegister converges to the best effective write, with every clock") {
  const pb::CrdtClock clocks[] = {pb::DEFAULT, pb::REVERSE, pb::CUSTOM, pb::CUSTOM_AUTO_INCREMENT};
  for (uint32_t seed : PropertySeeds(20)) {
    CAPTURE(seed);
    ReplicaNetwork net(CrdtType::kLwwRegister, 3 + static_cast<int>(seed % 3), seed);
    std::map<int, StampedValue> effective;
    int64_t now = 1000;
    for (int step = 0; step < 200; ++step) {
      CAPTURE(step);
      now += net.Pick(3);  // equal timestamps happen
      int r = net.Pick(net.size());
      Crdt& replica = net.replica(r);
      const StampedValue* before = replica.store().As<LwwRegisterStore>().Winner();
      std::optional<StampedValue> old = before ? std::optional<StampedValue>(*before) : std::nullopt;
      REQUIRE(replica.ApplyUpdate(Write(net.Pick(20), clocks[net.Pick(4)], net.Pick(2000)), now).ok());
      const StampedValue* after = replica.store().As<LwwRegisterStore>().Winner();
      REQUIRE(after != nullptr);
      if (!old || !(*old == *after)) {
        int id = static_cast<int>(effective.size());
        effective[id] = *after;
        net.RecordOp(r, id);
      }
      net.Churn();
      for (int i = 0; i < net.size(); ++i) {
        const StampedValue* winner = net.replica(i).store().As<LwwRegisterStore>().Winner();
        std::optional<StampedValue> expected = Best(effective, net.Known(i));
        REQUIRE((winner != nullptr) == expected.has_value());
        if (winner) CHECK(*winner == *expected);
      }
    }
    net.Settle();
    for (int i = 0; i < net.size(); ++i) {
      CHECK(net.replica(i).FullState() == net.replica(0).FullState());
      // Concurrent writes may stay side by side, but each writer keeps at most its last one.
      CHECK(net.replica(i).store().As<LwwRegisterStore>().writes.size() <= static_cast<size_t>(net.size()));
    }
  }
}

}  // namespace
}  // namespace cloudstate::replicated::testing
