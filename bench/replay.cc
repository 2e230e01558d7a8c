// replay: how fast events come back out of each store, raw and through an engine activation.
//
// For each store and layout (all events on one entity; the same number spread over many), after
// an untimed fill: (i) Journal::ReadEvents over every entity on one thread, (ii) a freshly opened
// Engine on the same data receiving one read-only command per entity, timed until every reply is
// in (activation = snapshot lookup + full replay through HandleEvent). Both fold each event the same
// trivial way. Baseline: the same events read with no code of ours in between (a leveldb::Iterator
// over the directory, a SELECT over the SQLite table, a std::vector<Any> for memory).
// Target: >= 1,000,000 events/s replayed from LevelDB.
#include <cxxopts.hpp>
#include <google/protobuf/wrappers.pb.h>

#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

#include "cloudstate/engine.h"
#include "support/baseline_scans.h"
#include "support/bench_counter.h"
#include "support/figures.h"
#include "support/journal_fill.h"
#include "support/stores.h"
#include "support/temp_dir.h"

namespace cloudstate::bench {
namespace {

constexpr char kType[] = "replay";

struct Layout {
  size_t entities = 1;
  int64_t per_entity = 0;
  int64_t Total() const { return static_cast<int64_t>(entities) * per_entity; }
  std::string Name() const { return std::to_string(entities) + " x " + std::to_string(per_entity); }
};

template <typename Fn>
double Seconds(Fn&& fn) {
  auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void Expect(int64_t seen, int64_t expected, const std::string& what) {
  if (seen == expected) return;
  CheckOk(Status::Internal(what + " saw " + std::to_string(seen) + " events, expected " + std::to_string(expected)),
          "checking the replay");
}

double RawRead(Journal& journal, const Layout& layout) {
  EventFold fold;
  double seconds = Seconds([&] {
    for (size_t i = 0; i < layout.entities; ++i) {
      Status read = journal.ReadEvents(EntityKey{kType, FilledEntityId(i)}, 1, [&fold](const StoredEvent& event) {
        fold.Apply(event.payload);
        return true;
      });
      CheckOk(read, "reading events");
    }
  });
  Expect(fold.events, layout.Total(), "Journal::ReadEvents");
  return seconds;
}

// Counts replies down; records the first reply that does not report the full replay.
class Replies {
 public:
  explicit Replies(size_t expected) : remaining_(expected) {}
  void Arrived(const Result<CommandReply>& reply, int64_t per_entity) {
    Status status = reply.status();
    if (status.ok()) {
      Result<google::protobuf::Int64Value> count =
          reply->payload ? Unpack<google::protobuf::Int64Value>(*reply->payload)
                         : Result<google::protobuf::Int64Value>(Status::Internal("no reply payload"));
      if (!count.ok()) {
        status = count.status();
      } else if (count->value() != per_entity) {
        status = Status::Internal("an entity replayed " + std::to_string(count->value()) + " events, expected " +
                                  std::to_string(per_entity));
      }
    }
    std::lock_guard lock(mu_);
    if (!status.ok() && error_.ok()) error_ = status;
    if (--remaining_ == 0) cv_.notify_all();
  }
  Status Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return remaining_ == 0; });
    return error_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  size_t remaining_;
  Status error_;
};

// Opens an engine (untimed), then times one command per entity until every reply is in.
double EngineReplay(EngineOptions options, std::unique_ptr<Store> borrowed, const Layout& layout) {
  Result<std::unique_ptr<Engine>> opened =
      borrowed ? Engine::Open(std::move(options), std::move(borrowed)) : Engine::Open(std::move(options));
  CheckOk(opened.status(), "opening the engine");
  Engine& engine = **opened;
  EntityTypeOptions type_options;
  type_options.snapshot_every = 0;
  CheckOk(RegisterBenchCounter(engine, kType, type_options), "registering the entity");

  Replies replies(layout.entities);
  double seconds = Seconds([&] {
    for (size_t i = 0; i < layout.entities; ++i) {
      engine.Send(GetCommand(kType, FilledEntityId(i)),
                  [&replies, &layout](Result<CommandReply> reply) { replies.Arrived(reply, layout.per_entity); });
    }
    CheckOk(replies.Wait(), "replaying through the engine");
  });
  return seconds;  // closing the engine is not timed
}

struct Row {
  std::vector<double> baseline, raw, engine;
};

Row MeasureMemory(const Layout& layout, int reps, int workers) {
  std::unique_ptr<Store> store = OpenStoreOrDie(MakeStoreOptions("memory", "", Durability::kBuffered));
  FillJournal(store->journal(), kType, layout.entities, layout.per_entity);
  std::vector<google::protobuf::Any> events;
  events.reserve(layout.Total());
  for (size_t i = 0; i < layout.entities; ++i) {
    for (int64_t seq = 1; seq <= layout.per_entity; ++seq) events.push_back(CounterEvent(seq));
  }
  Row row;
  for (int rep = 0; rep < reps; ++rep) {
    EventFold fold;
    row.baseline.push_back(Seconds([&] { fold = ScanVector(events); }));
    Expect(fold.events, layout.Total(), "the vector scan");
    row.raw.push_back(RawRead(store->journal(), layout));
    EngineOptions options;
    options.worker_threads = workers;
    row.engine.push_back(EngineReplay(std::move(options), Borrow(*store), layout));
  }
  return row;
}

Row MeasureDurable(const std::string& kind, const std::string& path, const Layout& layout, int reps, int workers) {
  StoreOptions store_options = MakeStoreOptions(kind, path, Durability::kBuffered);
  {
    std::unique_ptr<Store> store = OpenStoreOrDie(store_options);
    FillJournal(store->journal(), kType, layout.entities, layout.per_entity);
  }
  if (kind == "leveldb") CompactLevelDb(path);
  Row row;
  for (int rep = 0; rep < reps; ++rep) {
    EventFold fold;
    row.baseline.push_back(Seconds([&] { fold = kind == "leveldb" ? ScanLevelDb(path) : ScanSqlite(path); }));
    Expect(fold.events, layout.Total(), "the " + kind + " baseline scan");
    {
      std::unique_ptr<Store> store = OpenStoreOrDie(store_options);
      row.raw.push_back(RawRead(store->journal(), layout));
    }
    EngineOptions options;
    options.store = store_options;
    options.worker_threads = workers;
    row.engine.push_back(EngineReplay(std::move(options), nullptr, layout));
  }
  return row;
}

int Main(int argc, char** argv) {
  cxxopts::Options parser("replay", "Replay events/s from each store: raw Journal::ReadEvents and engine activation");
  parser.add_options()
      ("stores", "store kinds", cxxopts::value<std::vector<std::string>>()->default_value("memory,sqlite,leveldb"))
      ("events", "events per layout", cxxopts::value<int64_t>()->default_value("1000000"))
      ("entities", "entities of the spread layout", cxxopts::value<size_t>()->default_value("1000"))
      ("reps", "timed repetitions (the median is printed)", cxxopts::value<int>()->default_value("3"))
      ("workers", "engine worker threads (0: one per core)", cxxopts::value<int>()->default_value("0"))
      ("h,help", "this help");
  auto args = parser.parse(argc, argv);
  if (args.count("help")) {
    std::cout << parser.help() << std::endl;
    return 0;
  }
  const int64_t events = args["events"].as<int64_t>();
  const size_t spread = std::max<size_t>(1, args["entities"].as<size_t>());
  const int reps = std::max(1, args["reps"].as<int>());
  const int workers = args["workers"].as<int>();
  const std::vector<Layout> layouts{{1, events}, {spread, events / static_cast<int64_t>(spread)}};

  TempDir dir("cloudstate-bench-");
  std::cout << "replay: events/s (Int64Value events), median of " << reps
            << " runs; baseline = the storage library's own scan (memory: a std::vector<Any>)\n\n";
  Table table({"store", "entities x events", "baseline/s", "raw/s", "raw/base", "engine/s", "engine/base",
               "target"});
  for (const std::string& kind : args["stores"].as<std::vector<std::string>>()) {
    for (const Layout& layout : layouts) {
      Row row = kind == "memory"
                    ? MeasureMemory(layout, reps, workers)
                    : MeasureDurable(kind, StorePath(dir.path(), kind, "replay-" + std::to_string(layout.entities)),
                                     layout, reps, workers);
      auto rate = [&](const std::vector<double>& seconds) {
        return static_cast<double>(layout.Total()) / Median(seconds);
      };
      double baseline = rate(row.baseline), raw = rate(row.raw), engine = rate(row.engine);
      table.Add({kind, layout.Name(), Rate(baseline), Rate(raw), Ratio(raw, baseline), Rate(engine),
                 Ratio(engine, baseline), kind == "leveldb" ? "engine >= 1M" : ""});
    }
  }
  table.Print(std::cout);
  return 0;
}

}  // namespace
}  // namespace cloudstate::bench

int main(int argc, char** argv) {
  try {
    return cloudstate::bench::Main(argc, argv);
  } catch (const std::exception& e) {  // cxxopts reports bad options by throwing
    std::cerr << e.what() << std::endl;
    return 2;
  }
}
