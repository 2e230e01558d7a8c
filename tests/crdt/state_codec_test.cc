// The stored form: random states and deltas of every kind decode to what was encoded; a newer
// format version, garbage and dangling replica indexes are Corruption, never a crash.
#include <doctest/doctest.h>

#include "crdt/crdt_state.pb.h"
#include "crdt/state_codec.h"
#include "property.h"
#include "random_updates.h"

namespace cloudstate::replicated::testing {
namespace {

TEST_CASE("states and deltas of every kind round-trip") {
  for (CrdtType type : kAllTypes) {
    CAPTURE(CrdtTypeName(type));
    for (uint32_t seed : PropertySeeds(3)) {
      CAPTURE(seed);
      ReplicaNetwork net(type, 3, seed);
      for (int step = 0; step < 60; ++step) {
        int r = net.Pick(net.size());
        REQUIRE(net.replica(r).ApplyUpdate(RandomUpdate(net.replica(r), net), step).ok());
        if (net.Chance(20)) {
          CrdtState delta = net.replica(r).TakeDelta();
          Result<CrdtState> decoded = DecodeCrdtState(EncodeCrdtState(delta));
          REQUIRE(decoded.ok());
          CHECK(*decoded == delta);
        }
        net.Churn();
      }
      const CrdtState& full = net.replica(0).FullState();
      Result<CrdtState> decoded = DecodeCrdtState(EncodeCrdtState(full));
      REQUIRE(decoded.ok());
      CHECK(*decoded == full);
    }
  }
}

TEST_CASE("unknown versions, garbage and dangling references are Corruption") {
  Crdt set(ReplicaId("a"), CrdtType::kORSet);
  ::cloudstate::crdt::CrdtDelta add;
  *add.mutable_orset()->add_added() = Element(1);
  REQUIRE(set.ApplyUpdate(add, 0).ok());
  std::string bytes = EncodeCrdtState(set.FullState());

  ::cloudstate::crdtstate::CrdtStateRecord record;
  REQUIRE(record.ParseFromString(bytes));
  record.set_format_version(kCrdtStateFormatVersion + 1);
  Result<CrdtState> newer = DecodeCrdtState(record.SerializeAsString());
  REQUIRE_FALSE(newer.ok());
  CHECK(newer.status().code() == StatusCode::kCorruption);

  record.set_format_version(kCrdtStateFormatVersion);
  record.clear_replicas();
  CHECK(DecodeCrdtState(record.SerializeAsString()).status().code() == StatusCode::kCorruption);

  record.clear_store();
  record.add_replicas("a");
  CHECK(DecodeCrdtState(record.SerializeAsString()).status().code() == StatusCode::kCorruption);

  CHECK(DecodeCrdtState("\xff\xff\xff garbage").status().code() == StatusCode::kCorruption);
}

TEST_CASE("a replica restored from its stored state keeps its history") {
  Crdt counter(ReplicaId("a"), CrdtType::kGCounter);
  ::cloudstate::crdt::CrdtDelta increment;
  increment.mutable_gcounter()->set_increment(2);
  REQUIRE(counter.ApplyUpdate(increment, 0).ok());
  Result<CrdtState> stored = DecodeCrdtState(EncodeCrdtState(counter.FullState()));
  REQUIRE(stored.ok());
  Crdt restored(ReplicaId("a"), std::move(stored).value());
  REQUIRE(restored.ApplyUpdate(increment, 0).ok());
  // The new dot continues after the stored ones, so a peer that saw the old one takes the new one.
  Crdt peer(ReplicaId("b"), counter.FullState());
  REQUIRE(peer.Merge(restored.TakeDelta()).ok());
  CHECK(peer.store().As<GCounterStore>().Value() == 4);
}

}  // namespace
}  // namespace cloudstate::replicated::testing
