// Kills a writer process (crash_writer.cc) at random moments and checks, after every kill, that
// the store reopens with every acknowledged write intact and no batch half-visible, in the journal
// and in the event feed. Rounds continue on the same store, so recovery after recovery is
// exercised too.
//   CRASH_SEED=<n> reproduces a run; CRASH_ROUNDS=<n> changes the number of rounds per store.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "store_harness.h"

namespace cloudstate::testing {
namespace {

constexpr int kThreads = 4;

struct EventAck {
  std::string persistence_id;
  std::string entity;
  int64_t first;
  int size;
  std::string batch;
};
struct ValueAck {
  std::string entity;
  int64_t version;
  std::string batch;
};

struct RoundOutput {
  std::string lines;
  bool killed = false;
  std::string exit_description;
};

// Runs the writer until `kill_after` has passed, then SIGKILLs it and collects what it printed.
RoundOutput RunWriterAndKill(const std::string& writer, const StoreOptions& options, int round,
                             std::chrono::milliseconds kill_after) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  std::string threads = std::to_string(kThreads), round_text = std::to_string(round);
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execl(writer.c_str(), writer.c_str(), options.kind.c_str(), options.path.c_str(), threads.c_str(),
          round_text.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  RoundOutput output;
  auto deadline = std::chrono::steady_clock::now() + kill_after;
  char buffer[65536];
  bool open = true;
  while (open) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n <= 0) open = false;
    else output.lines.append(buffer, n);
  }
  kill(child, SIGKILL);
  // Whatever the writer wrote before it died is still in the pipe.
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof buffer)) > 0) output.lines.append(buffer, n);
  close(fds[0]);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  output.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  if (!output.killed) {
    output.exit_description = WIFEXITED(status) ? "exited with " + std::to_string(WEXITSTATUS(status))
                                                : "died of signal " + std::to_string(WTERMSIG(status));
  }
  return output;
}

void ParseAcks(const std::string& lines, std::vector<EventAck>& events, std::vector<ValueAck>& values) {
  size_t start = 0;
  for (size_t end; (end = lines.find('\n', start)) != std::string::npos; start = end + 1) {
    std::istringstream line(lines.substr(start, end - start));
    std::string tag;
    line >> tag;
    if (tag == "E") {
      EventAck ack;
      line >> ack.persistence_id >> ack.entity >> ack.first >> ack.size >> ack.batch;
      REQUIRE_MESSAGE(!line.fail(), lines.substr(start, end - start));
      events.push_back(ack);
    } else {
      ValueAck ack;
      line >> ack.entity >> ack.version >> ack.batch;
      REQUIRE_MESSAGE((tag == "V" && !line.fail()), lines.substr(start, end - start));
      values.push_back(ack);
    }
  }
  CHECK(start == lines.size());  // a line is written whole or not at all
}

std::string EventText(const std::string& batch, int size, int index) {
  return batch + " " + std::to_string(size) + " " + std::to_string(index);
}

// Every batch in the journal is complete and appears once; the snapshot sits on the last event
// of the batch it was saved with.
void CheckJournal(Store& store, const EntityKey& key) {
  std::vector<StoredEvent> events = ReadAll(store.journal(), key);
  CHECK(Highest(store.journal(), key) == static_cast<int64_t>(events.size()));
  std::set<std::string> batches;
  std::map<int64_t, std::string> batch_ending_at;
  for (size_t i = 0; i < events.size();) {
    std::istringstream first(events[i].payload.value());
    std::string batch;
    int size = 0, index = -1;
    first >> batch >> size >> index;
    REQUIRE_MESSAGE(index == 0, "a batch starts mid-way at " << events[i].sequence << ": " << events[i].payload.value());
    REQUIRE_MESSAGE(i + size <= events.size(), "batch " << batch << " is cut off");
    for (int j = 0; j < size; ++j) {
      REQUIRE_MESSAGE(events[i + j].payload.value() == EventText(batch, size, j), "batch " << batch << " is broken");
    }
    CHECK_MESSAGE(batches.insert(batch).second, "batch " << batch << " appears twice");
    i += size;
    batch_ending_at[static_cast<int64_t>(i)] = batch;
  }
  Result<std::optional<Snapshot>> snapshot = store.journal().LoadSnapshot(key);
  REQUIRE(snapshot.ok());
  CHECK(snapshot->has_value() == !events.empty());
  if (snapshot->has_value()) {
    REQUIRE(batch_ending_at.count((*snapshot)->sequence));
    CHECK((*snapshot)->state.value() == batch_ending_at[(*snapshot)->sequence] + " snapshot");
  }
}

struct FeedItem {
  int64_t offset;
  std::string entity;
  int64_t sequence;
  std::string text;
  friend bool operator==(const FeedItem&, const FeedItem&) = default;
};

// The feed holds every stored event of the persistence id's entities exactly once, in increasing
// offsets with each entity's events in sequence order, and only whole batches. It extends the feed
// seen after the previous round: nothing committed is lost or renumbered, and no offset is reused.
void CheckFeed(Store& store, const std::string& persistence_id, const std::vector<std::string>& entities,
               std::vector<FeedItem>& previous) {
  CAPTURE(persistence_id);
  std::vector<FeedItem> feed;
  Status read = store.journal().ReadFeed(persistence_id, 0, [&](const FeedEvent& event) {
    feed.push_back({event.offset, event.entity_id, event.sequence, event.payload.value()});
    return true;
  });
  REQUIRE_MESSAGE(read.ok(), read.ToString());
  std::map<std::string, int64_t> last_sequence;
  std::map<std::string, std::pair<int, int>> batch_progress;  // batch -> (size, events seen)
  for (size_t i = 0; i < feed.size(); ++i) {
    const FeedItem& item = feed[i];
    if (i > 0) {
      REQUIRE_MESSAGE(feed[i - 1].offset < item.offset,
                      "feed offset " << item.offset << " after " << feed[i - 1].offset);
    }
    int64_t& last = last_sequence[item.entity];
    REQUIRE_MESSAGE(item.sequence == last + 1, "the feed has " << item.entity << " event " << item.sequence
                                                                << " after " << last);
    last = item.sequence;
    std::istringstream text(item.text);
    std::string batch;
    int size = 0, index = -1;
    text >> batch >> size >> index;
    auto& [expected_size, seen] = batch_progress[batch];
    if (seen == 0) expected_size = size;
    REQUIRE_MESSAGE((index == seen && size == expected_size), "the feed has batch " << batch << " out of order");
    ++seen;
  }
  for (const auto& [batch, progress] : batch_progress) {
    CHECK_MESSAGE(progress.first == progress.second, "batch " << batch << " is half-visible in the feed");
  }
  std::map<std::string, std::vector<StoredEvent>> journals;
  for (const std::string& entity : entities) {
    const std::vector<StoredEvent>& events = journals[entity] = ReadAll(store.journal(), {persistence_id, entity});
    CHECK_MESSAGE(last_sequence[entity] == static_cast<int64_t>(events.size()),
                  "the feed has " << last_sequence[entity] << " of " << entity << "'s " << events.size() << " events");
  }
  for (const FeedItem& item : feed) {
    auto journal = journals.find(item.entity);
    REQUIRE_MESSAGE(journal != journals.end(), "the feed has an event of unknown entity " << item.entity);
    const std::vector<StoredEvent>& events = journal->second;
    REQUIRE_MESSAGE(item.sequence <= static_cast<int64_t>(events.size()), "the feed has an unknown event");
    if (item.text != events[item.sequence - 1].payload.value()) FAIL("feed offset " << item.offset << " is altered");
  }
  REQUIRE_MESSAGE(feed.size() >= previous.size(), "the feed shrank from " << previous.size() << " to " << feed.size());
  CHECK_MESSAGE(std::equal(previous.begin(), previous.end(), feed.begin()),
                "the feed no longer starts with what it held after the previous round");
  previous = std::move(feed);
}

void CrashRounds(const std::string& kind) {
  const char* writer = std::getenv("CRASH_WRITER");
  REQUIRE_MESSAGE(writer != nullptr, "CRASH_WRITER must name the store_crash_writer binary (meson sets it)");
  const char* seed_text = std::getenv("CRASH_SEED");
  const unsigned seed = seed_text != nullptr ? static_cast<unsigned>(std::stoul(seed_text)) : std::random_device()();
  const char* rounds_text = std::getenv("CRASH_ROUNDS");
  const int rounds = rounds_text != nullptr ? std::atoi(rounds_text) : 20;
  MESSAGE(kind << ": CRASH_SEED=" << seed << ", " << rounds << " rounds");
  std::mt19937 random(seed);

  TempDir dir;
  StoreOptions options = OptionsIn(dir, kind);
  std::vector<EventAck> event_acks;  // from every round so far
  std::map<std::string, int64_t> stored_version;  // as found after the previous round
  std::map<std::string, std::vector<FeedItem>> feeds;  // by persistence id, as found after the previous round
  std::map<std::string, std::vector<std::string>> entities = {{"crash", {"shared"}}, {"crash-other", {}}};
  for (int t = 0; t < kThreads; ++t) {
    for (auto& [persistence_id, ids] : entities) ids.push_back("writer-" + std::to_string(t));
  }
  for (int round = 1; round <= rounds; ++round) {
    CAPTURE(round);
    auto kill_after = std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 300)(random));
    RoundOutput output = RunWriterAndKill(writer, options, round, kill_after);
    REQUIRE_MESSAGE(output.killed, "the writer " << output.exit_description << " before it was killed");
    size_t before = event_acks.size();
    std::vector<ValueAck> value_acks;
    ParseAcks(output.lines, event_acks, value_acks);
    MESSAGE(kind << " round " << round << ": killed after " << kill_after.count() << " ms, "
                 << event_acks.size() - before << " appends acknowledged");
    std::map<std::string, ValueAck> newest_ack;
    for (const ValueAck& ack : value_acks) newest_ack[ack.entity] = ack;

    StoreRegistry registry;
    RegisterBuiltinStores(registry);
    Result<std::unique_ptr<Store>> opened = registry.Open(options);
    REQUIRE_MESSAGE(opened.ok(), opened.status().ToString());
    Store& store = **opened;
    for (const EventAck& ack : event_acks) {
      std::vector<StoredEvent> events;
      const EntityKey key{ack.persistence_id, ack.entity};
      Status read = store.journal().ReadEvents(key, ack.first, [&](const StoredEvent& event) {
        events.push_back(event);
        return events.size() < static_cast<size_t>(ack.size);
      });
      REQUIRE_MESSAGE(read.ok(), read.ToString());
      REQUIRE_MESSAGE(events.size() >= static_cast<size_t>(ack.size), "acknowledged batch " << ack.batch << " lost");
      for (int i = 0; i < ack.size; ++i) {
        REQUIRE_MESSAGE(events[i].payload.value() == EventText(ack.batch, ack.size, i),
                        "acknowledged batch " << ack.batch << " altered");
      }
    }
    for (int t = 0; t < kThreads; ++t) {
      const std::string entity = "writer-" + std::to_string(t);
      VersionedValue value = ReadValue(store.values(), {"crash", entity});
      int64_t& known = stored_version[entity];
      auto ack = newest_ack.find(entity);
      int64_t acknowledged = ack == newest_ack.end() ? known : ack->second.version;
      CHECK_MESSAGE(value.version >= acknowledged, "acknowledged value version " << acknowledged << " lost");
      // The writer may have committed one more write than it lived to acknowledge.
      CHECK(value.version <= acknowledged + 1);
      if (ack != newest_ack.end() && value.version == acknowledged) CHECK(value.value->value() == ack->second.batch);
      known = value.version;
    }
    std::set<int64_t> offsets;
    size_t feed_events = 0;
    for (const auto& [persistence_id, ids] : entities) {
      for (const std::string& entity : ids) CheckJournal(store, {persistence_id, entity});
      CheckFeed(store, persistence_id, ids, feeds[persistence_id]);
      for (const FeedItem& item : feeds[persistence_id]) offsets.insert(item.offset);
      feed_events += feeds[persistence_id].size();
    }
    CHECK_MESSAGE(offsets.size() == feed_events, "two feeds share an offset");
  }
  CHECK_MESSAGE(!event_acks.empty(), "no round acknowledged anything: the kills came too early to test");
}

TEST_CASE("sqlite: acknowledged writes survive SIGKILL and no batch is half-visible") { CrashRounds("sqlite"); }

TEST_CASE("leveldb: acknowledged writes survive SIGKILL and no batch is half-visible") { CrashRounds("leveldb"); }

}  // namespace
}  // namespace cloudstate::testing
