// Conformance: the event feed of a persistence id (Journal::ReadFeed), what eventing consumers read:
// every entity's events in commit order, by offset, resumable from the last offset seen.
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "store_harness.h"

namespace cloudstate::testing {
namespace {

using namespace std::string_literals;

std::vector<int64_t> Offsets(const std::vector<FeedEvent>& events) {
  std::vector<int64_t> offsets;
  for (const auto& event : events) offsets.push_back(event.offset);
  return offsets;
}

void CheckIncreasing(const std::vector<FeedEvent>& events) {
  for (size_t i = 1; i < events.size(); ++i) {
    REQUIRE_MESSAGE(events[i - 1].offset < events[i].offset, "offset " << events[i].offset << " after "
                                                                       << events[i - 1].offset);
  }
  if (!events.empty()) CHECK(events.front().offset > 0);
}

STORE_TEST(FeedHoldsEveryEntityInCommitOrder) {
  REQUIRE(h.Append(Appending({"orders", "a"}, 0, {"a1", "a2"})).ok());
  REQUIRE(h.Append(Appending({"orders", "b"}, 0, {"b1"})).ok());
  REQUIRE(h.Append(Appending({"other", "a"}, 0, {"x1"})).ok());
  REQUIRE(h.Append(Appending({"orders", "a"}, 2, {"a3"})).ok());
  REQUIRE(h.Append(Appending({"orders", "c"}, 0, {"c1", "c2", "c3"})).ok());

  std::vector<FeedEvent> feed = Feed(h.journal(), "orders");
  CHECK(Described(feed) == std::vector<std::string>{"a:1:a1", "a:2:a2", "b:1:b1", "a:3:a3", "c:1:c1", "c:2:c2",
                                                    "c:3:c3"});
  CheckIncreasing(feed);
  for (const auto& event : feed) CHECK(event.payload.type_url() == "type.googleapis.com/test.Event");
  CHECK(Described(Feed(h.journal(), "other")) == std::vector<std::string>{"a:1:x1"});
  // One counter for the store: the other feed's event sits between b1 and a3.
  int64_t other = Feed(h.journal(), "other").front().offset;
  CHECK(feed[2].offset < other);
  CHECK(other < feed[3].offset);
  CHECK(Feed(h.journal(), "unknown").empty());
}

STORE_TEST(FeedsOfDifferentPersistenceIdsStayApart) {
  // Ids that are prefixes of each other, hold NUL or high bytes, or are empty; entity ids that
  // would make a naive concatenation of the two ids ambiguous.
  const std::vector<EntityKey> keys = {
      {"p", "a"},     {"pa", ""},  {"p", "ab"},        {"p\0"s, "a"}, {"p\0a"s, "b"}, {"", "pa"},
      {"", ""},       {"\xff", "\xff\0"s}, {"p\xff"s, "a"}, {std::string(200, 'p'), "a"}, {std::string(201, 'p'), ""},
  };
  std::map<std::string, std::vector<std::string>> expected;
  for (size_t i = 0; i < keys.size(); ++i) {
    std::string text = "e" + std::to_string(i);
    REQUIRE(h.Append(Appending(keys[i], 0, {text})).ok());
    expected[keys[i].persistence_id].push_back(keys[i].entity_id + ":1:" + text);
  }
  for (const auto& [persistence_id, events] : expected) {
    CAPTURE(persistence_id);
    CHECK(Described(Feed(h.journal(), persistence_id)) == events);
  }
  CHECK(Feed(h.journal(), "\0"s).empty());
  CHECK(Feed(h.journal(), "pp").empty());
}

STORE_TEST(AfterOffsetSkipsExactlyTheEventsUpToIt) {
  REQUIRE(h.Append(Appending({"p", "a"}, 0, {"1", "2"})).ok());
  REQUIRE(h.Append(Appending({"q", "a"}, 0, {"elsewhere"})).ok());
  REQUIRE(h.Append(Appending({"p", "b"}, 0, {"3"})).ok());
  REQUIRE(h.Append(Appending({"p", "a"}, 2, {"4", "5"})).ok());
  std::vector<FeedEvent> all = Feed(h.journal(), "p");
  REQUIRE(all.size() == 5);
  CHECK(Feed(h.journal(), "p", -5).size() == 5);
  for (size_t i = 0; i < all.size(); ++i) {
    CAPTURE(i);
    std::vector<FeedEvent> rest(all.begin() + static_cast<std::ptrdiff_t>(i) + 1, all.end());
    CHECK(Described(Feed(h.journal(), "p", all[i].offset)) == Described(rest));
    CHECK(Offsets(Feed(h.journal(), "p", all[i].offset)) == Offsets(rest));
    // Any offset between two events (gaps are allowed) resumes at the next one.
    CHECK(Feed(h.journal(), "p", all[i].offset - 1).front().offset == all[i].offset);
  }
  CHECK(Feed(h.journal(), "p", all.back().offset + 1000).empty());
  CHECK(Feed(h.journal(), "p", INT64_MAX).empty());
}

STORE_TEST(FeedStopsWhenTheVisitorSaysSo) {
  REQUIRE(h.Append(Appending({"p", "a"}, 0, {"1", "2", "3"})).ok());
  REQUIRE(h.Append(Appending({"p", "b"}, 0, {"4", "5"})).ok());
  for (size_t stop_after : {1, 2, 4, 5}) {
    std::vector<std::string> seen;
    Status status = h.journal().ReadFeed("p", 0, [&](const FeedEvent& event) {
      seen.push_back(event.payload.value());
      return seen.size() < stop_after;
    });
    REQUIRE(status.ok());
    CHECK(seen.size() == stop_after);
    CHECK(seen.back() == std::to_string(stop_after));
  }
}

STORE_TEST(VisitorMayCallBackIntoTheStore) {
  REQUIRE(h.Append(Appending({"p", "a"}, 0, {"1", "2"})).ok());
  std::vector<int64_t> highest;
  Status status = h.journal().ReadFeed("p", 0, [&](const FeedEvent& event) {
    highest.push_back(Highest(h.journal(), {"p", event.entity_id}));
    return Feed(h.journal(), "p", event.offset).size() < 2;  // a nested feed read, too
  });
  REQUIRE(status.ok());
  CHECK(highest == std::vector<int64_t>{2, 2});
}

STORE_TEST(ConflictingAppendLeavesNoFeedEntry) {
  REQUIRE(h.Append(Appending({"p", "a"}, 0, {"a1"})).ok());
  CHECK(h.Append(Appending({"p", "a"}, 0, {"lost"})).code() == StatusCode::kConflict);
  CHECK(h.Append(Appending({"p", "a"}, 5, {"lost"})).code() == StatusCode::kConflict);

  // Racing appends to one entity, submitted together so the durable stores commit them in one
  // batch: one wins, the others conflict and must leave nothing behind.
  constexpr int kRacers = 8;
  std::mutex mu;
  std::vector<Status> results;
  std::atomic<int> pending{kRacers};
  for (int i = 0; i < kRacers; ++i) {
    h.journal().Append(Appending({"p", "a"}, 1, {"race" + std::to_string(i)}), [&](Status status) {
      std::lock_guard lock(mu);
      results.push_back(std::move(status));
      pending.fetch_sub(1);
    });
  }
  while (pending.load() > 0) std::this_thread::yield();
  int won = 0;
  for (const Status& status : results) {
    if (status.ok()) ++won;
    else CHECK(status.code() == StatusCode::kConflict);
  }
  CHECK(won == 1);
  h.Step();
  REQUIRE(h.Append(Appending({"p", "b"}, 0, {"b1"})).ok());

  std::vector<FeedEvent> feed = Feed(h.journal(), "p");
  REQUIRE(feed.size() == 3);
  CheckIncreasing(feed);
  CHECK(Described(feed)[0] == "a:1:a1");
  CHECK(feed[1].entity_id == "a");
  CHECK(feed[1].sequence == 2);
  CHECK(feed[1].payload.value() == ReadAll(h.journal(), {"p", "a"})[1].payload.value());
  CHECK(Described(feed)[2] == "b:1:b1");
}

STORE_TEST(OffsetsSurviveReopenAndAreNeverReused) {
  REQUIRE(h.Append(Appending({"p", "a"}, 0, {"1", "2"})).ok());
  REQUIRE(h.Append(Appending({"q", "a"}, 0, {"3"})).ok());
  std::vector<FeedEvent> p_before = Feed(h.journal(), "p"), q_before = Feed(h.journal(), "q");
  const int64_t highest = std::max(p_before.back().offset, q_before.back().offset);
  if (h.config().durable) h.Reopen();
  CHECK(Offsets(Feed(h.journal(), "p")) == Offsets(p_before));
  CHECK(Described(Feed(h.journal(), "q")) == Described(q_before));

  // Whichever feed the next event goes to, it comes after everything committed before the reopen.
  REQUIRE(h.Append(Appending({"r", "a"}, 0, {"4"})).ok());
  REQUIRE(h.Append(Appending({"p", "b"}, 0, {"5"})).ok());
  std::vector<FeedEvent> r = Feed(h.journal(), "r"), p = Feed(h.journal(), "p");
  REQUIRE(r.size() == 1);
  REQUIRE(p.size() == 3);
  CHECK(r[0].offset > highest);
  CHECK(p[2].offset > r[0].offset);
  CHECK(Feed(h.journal(), "p", p_before.back().offset).size() == 1);
}

// What the writers of the concurrent cases acknowledged: entity -> its texts in sequence order.
using Acknowledged = std::map<std::string, std::map<int64_t, std::string>>;

// Threads append to their own entities and race for a shared one, all under persistence id "p".
Acknowledged AppendConcurrently(Journal& journal, int threads, int appends_per_thread) {
  std::mutex mu;
  Acknowledged acknowledged;
  std::vector<std::string> errors(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int n = 0; n < appends_per_thread; ++n) {
        const EntityKey key{"p", n % 3 == 2 ? "shared" : "e" + std::to_string(t) + "-" + std::to_string(n % 2)};
        const std::string text = "t" + std::to_string(t) + "n" + std::to_string(n);
        for (;;) {
          Result<int64_t> highest = journal.HighestSequence(key);
          if (!highest.ok()) return void(errors[t] = highest.status().ToString());
          Status status = AppendAndWait(journal, Appending(key, *highest, {text + "a", text + "b"}));
          if (status.code() == StatusCode::kConflict) continue;
          if (!status.ok()) return void(errors[t] = status.ToString());
          std::lock_guard lock(mu);
          acknowledged[key.entity_id][*highest + 1] = text + "a";
          acknowledged[key.entity_id][*highest + 2] = text + "b";
          break;
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();
  for (const auto& error : errors) CHECK_MESSAGE(error.empty(), error);
  return acknowledged;
}

// The feed is a total order in which each entity's events come in sequence order, and it holds
// every acknowledged event exactly once and nothing else.
void CheckFeedMatches(const std::vector<FeedEvent>& feed, const Acknowledged& acknowledged) {
  CheckIncreasing(feed);
  std::map<std::string, int64_t> last_sequence;
  size_t total = 0;
  for (const auto& [entity, events] : acknowledged) total += events.size();
  CHECK(feed.size() == total);
  for (const FeedEvent& event : feed) {
    int64_t& last = last_sequence[event.entity_id];
    REQUIRE_MESSAGE(event.sequence == last + 1, event.entity_id << " jumps from " << last << " to " << event.sequence);
    last = event.sequence;
    auto entity = acknowledged.find(event.entity_id);
    REQUIRE(entity != acknowledged.end());
    auto text = entity->second.find(event.sequence);
    REQUIRE(text != entity->second.end());
    CHECK(event.payload.value() == text->second);
  }
}

STORE_TEST(ConcurrentAppendersFormOneTotalOrder) {
  Acknowledged acknowledged = AppendConcurrently(h.journal(), 6, 40);
  h.Step();
  CheckFeedMatches(Feed(h.journal(), "p"), acknowledged);
}

STORE_TEST(PollingReaderNeverSeesAnOffsetGoBack) {
  std::atomic<bool> writing{true};
  std::vector<FeedEvent> polled;
  std::string failure;
  std::thread reader([&] {
    int64_t last = 0;
    for (bool more = true; more;) {
      more = writing.load();  // one more poll after the writers are done
      Status status = h.journal().ReadFeed("p", last, [&](const FeedEvent& event) {
        if (event.offset <= last) {
          failure = "offset " + std::to_string(event.offset) + " after " + std::to_string(last);
          return false;
        }
        last = event.offset;
        polled.push_back(event);
        return true;
      });
      if (!status.ok()) failure = status.ToString();
      if (!failure.empty()) return;
    }
  });
  Acknowledged acknowledged = AppendConcurrently(h.journal(), 4, 30);
  writing.store(false);
  reader.join();
  REQUIRE_MESSAGE(failure.empty(), failure);
  std::vector<FeedEvent> final_feed = Feed(h.journal(), "p");
  CHECK(Offsets(polled) == Offsets(final_feed));
  CHECK(Described(polled) == Described(final_feed));
  CheckFeedMatches(final_feed, acknowledged);
}

}  // namespace
}  // namespace cloudstate::testing
