// Deltas are proportional to the change, not to the state: one change to a 10k-element set or map
// encodes to well under 1% of the encoded full state, and the other kinds' deltas stay a few dozen
// bytes however many replicas wrote before.
#include <doctest/doctest.h>

#include "crdt/state_codec.h"
#include "replica_network.h"

namespace cloudstate::replicated::testing {
namespace {

namespace pb = ::cloudstate::crdt;

constexpr int kElements = 10000;

pb::CrdtDelta ORSetAdding(int first, int count) {
  pb::CrdtDelta delta;
  for (int i = first; i < first + count; ++i) *delta.mutable_orset()->add_added() = Element(i);
  return delta;
}

TEST_CASE("one add or remove on a 10k-element ORSet: delta under 1% of the full state") {
  Crdt set(ReplicaId("node-a"), CrdtType::kORSet);
  REQUIRE(set.ApplyUpdate(ORSetAdding(0, kElements), 0).ok());
  set.TakeDelta();
  size_t full = EncodeCrdtState(set.FullState()).size();
  REQUIRE(set.ApplyUpdate(ORSetAdding(kElements, 1), 0).ok());
  size_t add = EncodeCrdtState(set.TakeDelta()).size();
  pb::CrdtDelta remove;
  *remove.mutable_orset()->add_removed() = Element(17);
  REQUIRE(set.ApplyUpdate(remove, 0).ok());
  size_t removal = EncodeCrdtState(set.TakeDelta()).size();
  MESSAGE("full " << full << " B, add delta " << add << " B, remove delta " << removal << " B");
  CHECK(add * 100 < full);
  CHECK(removal * 100 < full);
}

TEST_CASE("one nested update in a 10k-key ORMap: delta under 1% of the full state") {
  Crdt map(ReplicaId("node-a"), CrdtType::kORMap);
  pb::CrdtDelta fill;
  for (int i = 0; i < kElements; ++i) {
    pb::ORMapEntryDelta* entry = fill.mutable_ormap()->add_added();
    *entry->mutable_key() = Element(i);
    entry->mutable_delta()->mutable_gcounter()->set_increment(1);
  }
  REQUIRE(map.ApplyUpdate(fill, 0).ok());
  map.TakeDelta();
  size_t full = EncodeCrdtState(map.FullState()).size();
  pb::CrdtDelta update;
  pb::ORMapEntryDelta* entry = update.mutable_ormap()->add_updated();
  *entry->mutable_key() = Element(42);
  entry->mutable_delta()->mutable_gcounter()->set_increment(5);
  REQUIRE(map.ApplyUpdate(update, 0).ok());
  size_t delta = EncodeCrdtState(map.TakeDelta()).size();
  MESSAGE("full " << full << " B, update delta " << delta << " B");
  CHECK(delta * 100 < full);
}

TEST_CASE("a counter's delta does not grow with the number of writers") {
  Crdt counter(ReplicaId("node-a"), CrdtType::kGCounter);
  for (int i = 0; i < 200; ++i) {
    Crdt other(ReplicaId("node-" + std::to_string(i + 1)), CrdtType::kGCounter);
    pb::CrdtDelta increment;
    increment.mutable_gcounter()->set_increment(1);
    REQUIRE(other.ApplyUpdate(increment, 0).ok());
    REQUIRE(counter.Merge(other.TakeDelta()).ok());
  }
  pb::CrdtDelta increment;
  increment.mutable_gcounter()->set_increment(1);
  REQUIRE(counter.ApplyUpdate(increment, 0).ok());
  size_t delta = EncodeCrdtState(counter.TakeDelta()).size();
  size_t full = EncodeCrdtState(counter.FullState()).size();
  MESSAGE("full " << full << " B, increment delta " << delta << " B");
  CHECK(delta < 40);
  CHECK(delta * 50 < full);
}

}  // namespace
}  // namespace cloudstate::replicated::testing
