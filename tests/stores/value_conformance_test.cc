// Conformance: the value role (versioned conditional writes and deletes), against every store.
#include <future>

#include "store_harness.h"

namespace cloudstate::testing {
namespace {

const EntityKey kKey{"carts", "cart-1"};

void CheckValue(ValueStore& values, const EntityKey& key, int64_t version, std::optional<std::string> text) {
  VersionedValue value = ReadValue(values, key);
  CHECK(value.version == version);
  REQUIRE(value.value.has_value() == text.has_value());
  if (text) {
    CHECK(value.value->type_url() == "type.googleapis.com/test.Value");
    CHECK(value.value->value() == *text);
  }
}

STORE_TEST(ValueVersionsCountEveryWrite) {
  CheckValue(h.values(), kKey, 0, std::nullopt);
  REQUIRE(h.Write(Writing(kKey, 0, "A")).ok());
  CheckValue(h.values(), kKey, 1, "A");
  REQUIRE(h.Write(Writing(kKey, 1, "B")).ok());
  CheckValue(h.values(), kKey, 2, "B");
  for (int64_t v = 2; v < 5; ++v) REQUIRE(h.Write(Writing(kKey, v, "V" + std::to_string(v + 1))).ok());
  CheckValue(h.values(), kKey, 5, "V5");

  // Deleting is a write: the version survives it.
  REQUIRE(h.Write(Writing(kKey, 5, std::nullopt)).ok());
  CheckValue(h.values(), kKey, 6, std::nullopt);
  REQUIRE(h.Write(Writing(kKey, 6, "D")).ok());
  CheckValue(h.values(), kKey, 7, "D");
}

STORE_TEST(StaleVersionIsConflictAndNeverOverwrites) {
  for (int64_t v = 0; v < 5; ++v) REQUIRE(h.Write(Writing(kKey, v, "V" + std::to_string(v + 1))).ok());
  for (int64_t expected : {0, 3, 4, 6, 9}) {
    CAPTURE(expected);
    for (std::optional<std::string> text : {std::optional<std::string>("stale"), std::optional<std::string>()}) {
      Status status = h.Write(Writing(kKey, expected, text));
      REQUIRE(status.code() == StatusCode::kConflict);
      CHECK(status.message().find("cart-1") != std::string::npos);
      CHECK(status.message().find("carts") != std::string::npos);
      CHECK(status.message().find(std::to_string(expected)) != std::string::npos);
      CHECK(status.message().find("5") != std::string::npos);
    }
  }
  CheckValue(h.values(), kKey, 5, "V5");

  // A deleted value still fences stale writers, including ones that think it was never written.
  REQUIRE(h.Write(Writing(kKey, 5, std::nullopt)).ok());
  CHECK(h.Write(Writing(kKey, 5, "late")).code() == StatusCode::kConflict);
  CHECK(h.Write(Writing(kKey, 0, "fresh")).code() == StatusCode::kConflict);
  CheckValue(h.values(), kKey, 6, std::nullopt);
}

STORE_TEST(NewValueNeedsExpectedVersionZero) {
  const EntityKey fresh{"carts", "fresh"};
  CHECK(h.Write(Writing(fresh, 1, "no")).code() == StatusCode::kConflict);
  CHECK(h.Write(Writing(fresh, 3, "no")).code() == StatusCode::kConflict);
  CheckValue(h.values(), fresh, 0, std::nullopt);
  // Deleting what was never written is a write too: it leaves version 1 and no value.
  REQUIRE(h.Write(Writing(fresh, 0, std::nullopt)).ok());
  CheckValue(h.values(), fresh, 1, std::nullopt);
}

STORE_TEST(ValueAndJournalOfOneKeyAreIndependent) {
  REQUIRE(h.Write(Writing(kKey, 0, "value")).ok());
  REQUIRE(h.Append(Appending(kKey, 0, {"event"})).ok());
  REQUIRE(h.Write(Writing(kKey, 1, "value2")).ok());
  CheckValue(h.values(), kKey, 2, "value2");
  CHECK(Highest(h.journal(), kKey) == 1);
  CHECK(Texts(ReadAll(h.journal(), kKey)) == std::vector<std::string>{"event"});
}

STORE_TEST(PipelinedValueWritesSeeEarlierWritesOfTheirBatch) {
  constexpr int kChain = 100;
  std::vector<std::promise<Status>> done(kChain);
  for (int i = 0; i < kChain; ++i) {
    std::optional<std::string> text;
    if (i % 10 != 9) text = "v" + std::to_string(i + 1);  // every tenth write deletes
    h.values().Write(Writing(kKey, i, text), [&done, i](Status status) { done[i].set_value(std::move(status)); });
  }
  for (int i = 0; i < kChain; ++i) {
    Status status = done[i].get_future().get();
    REQUIRE_MESSAGE(status.ok(), status.ToString());
  }
  h.Step();
  CheckValue(h.values(), kKey, kChain, std::nullopt);

  constexpr int kRivals = 30;
  std::vector<std::promise<Status>> rivals(kRivals);
  for (int i = 0; i < kRivals; ++i) {
    h.values().Write(Writing(kKey, kChain, "rival" + std::to_string(i)),
                     [&rivals, i](Status status) { rivals[i].set_value(std::move(status)); });
  }
  int winner = -1;
  for (int i = 0; i < kRivals; ++i) {
    Status status = rivals[i].get_future().get();
    if (status.ok()) {
      CHECK(winner == -1);
      winner = i;
    } else {
      CHECK(status.code() == StatusCode::kConflict);
    }
  }
  REQUIRE(winner >= 0);
  h.Step();
  CheckValue(h.values(), kKey, kChain + 1, "rival" + std::to_string(winner));
}

}  // namespace
}  // namespace cloudstate::testing
