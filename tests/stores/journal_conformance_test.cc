// Conformance: the journal role (appends, reads, conditions, snapshots), against every store.
#include <atomic>
#include <future>
#include <random>

#include "store_harness.h"

namespace cloudstate::testing {
namespace {

const EntityKey kKey{"orders", "order-1"};

STORE_TEST(AppendedEventsReadBackInOrder) {
  REQUIRE(h.Append(Appending(kKey, 0, {"a", "b", "c"})).ok());
  CHECK(Highest(h.journal(), kKey) == 3);
  std::vector<StoredEvent> events = ReadAll(h.journal(), kKey);
  REQUIRE(events.size() == 3);
  for (int i = 0; i < 3; ++i) {
    CHECK(events[i].sequence == i + 1);
    CHECK(events[i].payload.type_url() == "type.googleapis.com/test.Event");
  }
  CHECK(Texts(events) == std::vector<std::string>{"a", "b", "c"});

  REQUIRE(h.Append(Appending(kKey, 3, {"d"})).ok());
  CHECK(Highest(h.journal(), kKey) == 4);
  CHECK(Texts(ReadAll(h.journal(), kKey)) == std::vector<std::string>{"a", "b", "c", "d"});
}

STORE_TEST(ReadEventsHonoursFromSequenceAndEarlyStop) {
  REQUIRE(h.Append(Appending(kKey, 0, {"1", "2", "3"})).ok());
  REQUIRE(h.Append(Appending(kKey, 3, {"4", "5"})).ok());

  CHECK(Texts(ReadAll(h.journal(), kKey, 3)) == std::vector<std::string>{"3", "4", "5"});
  CHECK(ReadAll(h.journal(), kKey, 3).front().sequence == 3);
  CHECK(Texts(ReadAll(h.journal(), kKey, 5)) == std::vector<std::string>{"5"});
  CHECK(ReadAll(h.journal(), kKey, 6).empty());
  CHECK(ReadAll(h.journal(), kKey, 1000).empty());
  CHECK(ReadAll(h.journal(), kKey, 0).size() == 5);
  CHECK(ReadAll(h.journal(), kKey, -7).size() == 5);

  for (int stop_after : {1, 2, 4}) {
    std::vector<int64_t> seen;
    Status status = h.journal().ReadEvents(kKey, 1, [&](const StoredEvent& event) {
      seen.push_back(event.sequence);
      return static_cast<int>(seen.size()) < stop_after;
    });
    REQUIRE(status.ok());
    CHECK(seen.size() == static_cast<size_t>(stop_after));
    CHECK(seen.back() == stop_after);
  }
  std::vector<int64_t> seen;
  REQUIRE(h.journal().ReadEvents(kKey, 4, [&](const StoredEvent& e) { seen.push_back(e.sequence); return false; }).ok());
  CHECK(seen == std::vector<int64_t>{4});
}

STORE_TEST(UnknownKeyIsEmpty) {
  REQUIRE(h.Append(Appending({"orders", "other"}, 0, {"x"})).ok());
  CHECK(Highest(h.journal(), kKey) == 0);
  CHECK(ReadAll(h.journal(), kKey).empty());
  Result<std::optional<Snapshot>> snapshot = h.journal().LoadSnapshot(kKey);
  REQUIRE(snapshot.ok());
  CHECK_FALSE(snapshot->has_value());
  VersionedValue value = ReadValue(h.values(), kKey);
  CHECK(value.version == 0);
  CHECK_FALSE(value.value.has_value());
}

STORE_TEST(StaleExpectedSequenceIsConflictAndNeverOverwrites) {
  REQUIRE(h.Append(Appending(kKey, 0, {"a", "b", "c", "d", "e", "f", "g"})).ok());

  for (int64_t expected : {0, 3, 6, 8, 19}) {
    CAPTURE(expected);
    JournalWrite stale = Appending(kKey, expected, {"x", "y"});
    stale.snapshot = MakeAny("type.googleapis.com/test.State", "stale");
    Status status = h.Append(std::move(stale));
    REQUIRE(status.code() == StatusCode::kConflict);
    // The message names the key, the writer's expectation and what the journal holds.
    CHECK(status.message().find("order-1") != std::string::npos);
    CHECK(status.message().find("orders") != std::string::npos);
    CHECK(status.message().find(std::to_string(expected)) != std::string::npos);
    CHECK(status.message().find("7") != std::string::npos);
  }
  CHECK(Highest(h.journal(), kKey) == 7);
  CHECK(Texts(ReadAll(h.journal(), kKey)) == std::vector<std::string>{"a", "b", "c", "d", "e", "f", "g"});
  Result<std::optional<Snapshot>> snapshot = h.journal().LoadSnapshot(kKey);
  REQUIRE(snapshot.ok());
  CHECK_FALSE(snapshot->has_value());
}

STORE_TEST(SnapshotsAreSavedWithTheAppendAndNewestWins) {
  auto load = [&](const EntityKey& key) {
    Result<std::optional<Snapshot>> snapshot = h.journal().LoadSnapshot(key);
    REQUIRE_MESSAGE(snapshot.ok(), snapshot.status().ToString());
    return *snapshot;
  };
  auto with_snapshot = [](JournalWrite write, std::string state) {
    write.snapshot = MakeAny("type.googleapis.com/test.State", state);
    return write;
  };

  REQUIRE(h.Append(Appending(kKey, 0, {"1", "2"})).ok());
  CHECK_FALSE(load(kKey).has_value());

  REQUIRE(h.Append(with_snapshot(Appending(kKey, 2, {"3"}), "state@3")).ok());
  std::optional<Snapshot> snapshot = load(kKey);
  REQUIRE(snapshot.has_value());
  CHECK(snapshot->sequence == 3);
  CHECK(snapshot->state.type_url() == "type.googleapis.com/test.State");
  CHECK(snapshot->state.value() == "state@3");

  REQUIRE(h.Append(with_snapshot(Appending(kKey, 3, {"4", "5"}), "state@5")).ok());
  REQUIRE(h.Append(Appending(kKey, 5, {"6"})).ok());
  snapshot = load(kKey);
  REQUIRE(snapshot.has_value());
  CHECK(snapshot->sequence == 5);
  CHECK(snapshot->state.value() == "state@5");

  // A snapshot needs events to sit on: with none it is ignored.
  REQUIRE(h.Append(with_snapshot(Appending(kKey, 6, {}), "ignored")).ok());
  CHECK(Highest(h.journal(), kKey) == 6);
  CHECK(load(kKey)->state.value() == "state@5");

  const EntityKey fresh{"orders", "fresh"};
  REQUIRE(h.Append(with_snapshot(Appending(fresh, 0, {}), "ignored")).ok());
  CHECK_FALSE(load(fresh).has_value());
  CHECK(Highest(h.journal(), fresh) == 0);
}

STORE_TEST(PayloadsRoundTripExactly) {
  std::string binary("\0\x01\xff\xfe\0zero\0", 10);
  std::mt19937 random(42);
  std::string large(1 << 20, '\0');
  for (char& c : large) c = static_cast<char>(random());

  JournalWrite write;
  write.key = kKey;
  write.events.push_back(MakeAny("", ""));
  write.events.push_back(MakeAny("type.googleapis.com/test.Bytes", binary));
  write.events.push_back(MakeAny("type.example.com/\xc3\xa9v\xc3\xa8nement", large));
  write.snapshot = MakeAny("type.googleapis.com/test.State", binary);
  REQUIRE(h.Append(write).ok());

  std::vector<StoredEvent> events = ReadAll(h.journal(), kKey);
  REQUIRE(events.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(events[i].payload.type_url() == write.events[i].type_url());
    CHECK(events[i].payload.value() == write.events[i].value());
  }
  Result<std::optional<Snapshot>> snapshot = h.journal().LoadSnapshot(kKey);
  REQUIRE(snapshot.ok());
  REQUIRE(snapshot->has_value());
  CHECK((*snapshot)->state.value() == binary);

  // An empty Any is a value; a delete is its absence.
  REQUIRE(h.Write(ValueWrite{kKey, 0, MakeAny("", "")}).ok());
  VersionedValue empty = ReadValue(h.values(), kKey);
  CHECK(empty.version == 1);
  REQUIRE(empty.value.has_value());
  CHECK(empty.value->type_url().empty());
  CHECK(empty.value->value().empty());
  REQUIRE(h.Write(ValueWrite{kKey, 1, MakeAny("type.googleapis.com/test.Bytes", large)}).ok());
  CHECK(ReadValue(h.values(), kKey).value->value() == large);
}

// Entity ids that are prefixes of each other, contain separators, NUL or 0xff bytes, or are empty:
// every key sees exactly its own journal, snapshot and value.
STORE_TEST(KeysAreIsolated) {
  using namespace std::string_literals;
  const std::vector<EntityKey> keys = {
      {"p", "a"},          {"p", "ab"},          {"pa", "b"},           {"p", "a\0"s},        {"p", "a\0b"s},
      {"p\0a"s, "b"},      {"p", "a/b"},         {"p/a", "b"},          {"", ""},             {"", "p"},
      {"p", ""},           {"\xff", "\xff\xff"}, {"p", std::string(300, 'x')}, {"p", std::string(300, 'x') + "y"},
      {"p", "a|b"},        {"p|a", "b"},
  };
  for (size_t i = 0; i < keys.size(); ++i) {
    std::vector<std::string> texts;
    for (size_t j = 0; j <= i; ++j) texts.push_back("key" + std::to_string(i) + "-event" + std::to_string(j));
    JournalWrite write = Appending(keys[i], 0, texts);
    write.snapshot = MakeAny("type.googleapis.com/test.State", "snapshot" + std::to_string(i));
    REQUIRE(h.Append(std::move(write)).ok());
    for (size_t v = 0; v <= i % 3; ++v) {
      REQUIRE(h.Write(Writing(keys[i], static_cast<int64_t>(v), "value" + std::to_string(i))).ok());
    }
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    CAPTURE(i);
    std::vector<StoredEvent> events = ReadAll(h.journal(), keys[i]);
    REQUIRE(events.size() == i + 1);
    for (size_t j = 0; j <= i; ++j) {
      CHECK(events[j].payload.value() == "key" + std::to_string(i) + "-event" + std::to_string(j));
    }
    CHECK(Highest(h.journal(), keys[i]) == static_cast<int64_t>(i + 1));
    Result<std::optional<Snapshot>> snapshot = h.journal().LoadSnapshot(keys[i]);
    REQUIRE(snapshot.ok());
    REQUIRE(snapshot->has_value());
    CHECK((*snapshot)->sequence == static_cast<int64_t>(i + 1));
    CHECK((*snapshot)->state.value() == "snapshot" + std::to_string(i));
    VersionedValue value = ReadValue(h.values(), keys[i]);
    CHECK(value.version == static_cast<int64_t>(i % 3 + 1));
    REQUIRE(value.value.has_value());
    CHECK(value.value->value() == "value" + std::to_string(i));
  }
  for (const EntityKey& never : {EntityKey{"p", "a\0\0"s}, EntityKey{"q", "a"}, EntityKey{"p", "b"},
                                 EntityKey{"", "a"}, EntityKey{"p", std::string(299, 'x')}}) {
    CHECK(Highest(h.journal(), never) == 0);
    CHECK(ReadAll(h.journal(), never).empty());
    CHECK(ReadValue(h.values(), never).version == 0);
  }
}

// Appends issued back to back without waiting land in one batch of a group-committing store; each
// must see the ones before it.
STORE_TEST(PipelinedAppendsSeeEarlierAppendsOfTheirBatch) {
  constexpr int kChain = 200;
  std::vector<std::promise<Status>> done(kChain);
  for (int i = 0; i < kChain; ++i) {
    h.journal().Append(Appending(kKey, i, {"e" + std::to_string(i + 1)}),
                       [&done, i](Status status) { done[i].set_value(std::move(status)); });
  }
  for (int i = 0; i < kChain; ++i) {
    Status status = done[i].get_future().get();
    REQUIRE_MESSAGE(status.ok(), status.ToString());
  }
  h.Step();
  std::vector<StoredEvent> events = ReadAll(h.journal(), kKey);
  REQUIRE(events.size() == kChain);
  for (int i = 0; i < kChain; ++i) CHECK(events[i].payload.value() == "e" + std::to_string(i + 1));

  // The same expectation issued many times at once: exactly one wins, the rest conflict.
  constexpr int kRivals = 50;
  std::vector<std::promise<Status>> rivals(kRivals);
  for (int i = 0; i < kRivals; ++i) {
    h.journal().Append(Appending(kKey, kChain, {"rival" + std::to_string(i), "rival" + std::to_string(i) + "-2"}),
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
  events = ReadAll(h.journal(), kKey, kChain + 1);
  CHECK(Texts(events) == std::vector<std::string>{"rival" + std::to_string(winner),
                                                  "rival" + std::to_string(winner) + "-2"});
}

}  // namespace
}  // namespace cloudstate::testing
