// engine_vs_store: what the engine keeps of a durable store's group-commit write rate.
//
// Engine: 64 event-sourced entities with `depth` commands in flight on each (every reply sends
// the entity its next command), every command emitting one small event. Raw: 64 writers on 64
// keys with `depth` one-event Journal::Append calls in flight on each, every completion issuing
// the writer's next append. Same store kind, same durability, fresh files for every run.
//
// Rates are sustained ones: each run writes for 2 s before its 3 s window opens. A fresh LevelDB
// first absorbs writes into its memtable and level-0 files at a rate compaction cannot keep up
// with for long (about twice the sustained rate in the first second, on 2 cores); a shorter
// window would measure that burst, which no steady load sees.
//
// Target: engine/raw >= 0.8 at kSync with the 64 entities busy, i.e. with commands waiting in
// their mailboxes (depth 8). At depth 1 an entity is idle between a reply and its caller's next
// command, and a raw writer is not: the engine's turnaround splits the entities into groups that
// commit alternately, each paying a sync, so that row is shown for information.
#include <cxxopts.hpp>

#include <filesystem>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

#include "cloudstate/engine.h"
#include "support/bench_counter.h"
#include "support/closed_loop.h"
#include "support/figures.h"
#include "support/stores.h"
#include "support/temp_dir.h"

namespace cloudstate::bench {
namespace {

struct Config {
  bool verbose = false;
  size_t concurrency = 64;
  size_t depth = 1;  // operations in flight per entity or writer
  int reps = 3;
  int workers = 0;
  LoopTiming timing;
};

// One run's store, created fresh under the scratch directory and removed after the run.
struct RunStore {
  std::string kind;
  Durability durability;
  std::string path;
  ~RunStore() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
    std::filesystem::remove_all(path + "-wal", ignored);
    std::filesystem::remove_all(path + "-shm", ignored);
    std::filesystem::remove_all(path + "-lock", ignored);
  }
};

void Report(const LoopResult& result, const std::string& what, const Config& config) {
  if (config.verbose) {
    std::cerr << what << ": " << Rate(result.PerSecond()) << "/s, " << result.total_ops << " ops in the whole run\n";
  }
  if (result.errors == 0) return;
  std::cerr << "warning: " << what << ": " << result.errors << " failed operations, first: " << result.first_error
            << "\n";
}

// Raw store: per-key writers, each keeping `depth` appends in flight, chained on their completions.
LoopResult RawRun(const RunStore& run, const Config& config) {
  std::unique_ptr<Store> store = OpenStoreOrDie(MakeStoreOptions(run.kind, run.path, run.durability));
  Journal& journal = store->journal();

  struct Writer {
    EntityKey key;
    // Held while an append is issued: the queue commits a key's appends in the order they were
    // issued, so each may expect the sequence the one before it will leave.
    std::mutex mu;
    int64_t next_expected = 0;
    bool resync = false;  // an append failed: the ones behind it fail too; ask the store
  };
  struct Shared {
    ClosedLoop* loop = nullptr;
    std::vector<Writer> writers;
  } shared;
  shared.writers = std::vector<Writer>(config.concurrency);
  for (size_t i = 0; i < config.concurrency; ++i) shared.writers[i].key = EntityKey{"raw", "w" + std::to_string(i)};
  const google::protobuf::Any event = CounterEvent(1);

  ClosedLoop loop(config.concurrency * config.depth, [&](size_t slot) {
    Writer& writer = shared.writers[slot % config.concurrency];
    std::lock_guard lock(writer.mu);
    if (writer.resync) {
      Result<int64_t> highest = journal.HighestSequence(writer.key);
      if (highest.ok()) writer.next_expected = *highest;
      writer.resync = false;
    }
    JournalWrite write;
    write.key = writer.key;
    write.expected_sequence = writer.next_expected++;
    write.events.push_back(event);
    // Captures two words, so std::function keeps it inline as the engine's reply callback does.
    journal.Append(std::move(write), [s = &shared, slot](Status status) {
      if (!status.ok()) {
        Writer& w = s->writers[slot % s->writers.size()];
        std::lock_guard lock(w.mu);
        w.resync = true;
      }
      s->loop->Done(slot, status);
    });
  });
  shared.loop = &loop;
  LoopResult result = loop.Run(config.timing);
  Report(result, "raw " + run.kind + " " + DurabilityName(run.durability), config);
  return result;
}

// Engine: `depth` commands in flight per entity, each reply sending the entity's next one.
LoopResult EngineRun(const RunStore& run, const Config& config) {
  EngineOptions options;
  options.store = MakeStoreOptions(run.kind, run.path, run.durability);
  options.worker_threads = config.workers;
  Result<std::unique_ptr<Engine>> opened = Engine::Open(std::move(options));
  CheckOk(opened.status(), "opening the engine on " + run.kind);
  Engine& engine = **opened;
  CheckOk(RegisterBenchCounter(engine, "counter"), "registering the counter");

  std::vector<std::string> ids;
  for (size_t i = 0; i < config.concurrency; ++i) ids.push_back("e" + std::to_string(i));
  ClosedLoop* loop_ptr = nullptr;
  ClosedLoop loop(config.concurrency * config.depth, [&](size_t slot) {
    engine.Send(AddCommand("counter", ids[slot % ids.size()]),
                [loop = loop_ptr, slot](Result<CommandReply> reply) { loop->Done(slot, reply.status()); });
  });
  loop_ptr = &loop;
  LoopResult result = loop.Run(config.timing);
  Report(result, "engine " + run.kind + " " + DurabilityName(run.durability), config);
  return result;  // the engine's shutdown is not timed
}

int Main(int argc, char** argv) {
  cxxopts::Options parser("engine_vs_store", "Engine event-sourced commands/s vs the raw store's batched append rate");
  parser.add_options()
      ("stores", "store kinds", cxxopts::value<std::vector<std::string>>()->default_value("sqlite,leveldb"))
      ("concurrency", "entities (engine) and writers (raw)", cxxopts::value<size_t>()->default_value("64"))
      ("depths", "commands (engine) and appends (raw) in flight per entity or writer; one row each",
       cxxopts::value<std::vector<size_t>>()->default_value("1,8"))
      ("measure-ms", "measured window per run", cxxopts::value<int>()->default_value("3000"))
      ("warmup-ms", "unmeasured start of each run (the store's burst phase)",
       cxxopts::value<int>()->default_value("2000"))
      ("reps", "runs per figure (the median is printed)", cxxopts::value<int>()->default_value("3"))
      ("workers", "engine worker threads (0: one per core)", cxxopts::value<int>()->default_value("0"))
      ("buffered", "add kBuffered rows (for information)")
      ("only", "run one side only, for profiling: raw or engine", cxxopts::value<std::string>()->default_value(""))
      ("v,verbose", "print every run's figure and total operations on stderr")
      ("h,help", "this help");
  auto args = parser.parse(argc, argv);
  if (args.count("help")) {
    std::cout << parser.help() << std::endl;
    return 0;
  }
  Config config;
  config.verbose = args.count("verbose") > 0;
  config.concurrency = args["concurrency"].as<size_t>();
  config.reps = std::max(1, args["reps"].as<int>());
  config.workers = args["workers"].as<int>();
  config.timing.measure = std::chrono::milliseconds(args["measure-ms"].as<int>());
  config.timing.warmup = std::chrono::milliseconds(args["warmup-ms"].as<int>());
  const std::string only = args["only"].as<std::string>();
  const bool run_raw = only != "engine", run_engine = only != "raw";
  std::vector<Durability> durabilities{Durability::kSync};
  if (args.count("buffered")) durabilities.push_back(Durability::kBuffered);

  TempDir dir("cloudstate-bench-");
  std::cout << "engine_vs_store: " << config.concurrency << " entities x depth commands in flight (engine) vs "
            << config.concurrency << " writers x depth Journal::Append in flight (raw), 1 event each; median of "
            << config.reps << " x " << config.timing.measure.count()
            << " ms; engine/raw is the median of the per-run-pair ratios\n\n";

  Table table({"store", "durability", "depth", "engine/s", "raw/s", "engine/raw", "target"});
  for (const std::string& kind : args["stores"].as<std::vector<std::string>>()) {
    for (Durability durability : durabilities) {
     for (size_t depth : args["depths"].as<std::vector<size_t>>()) {
      config.depth = std::max<size_t>(1, depth);
      std::vector<double> engine_rates, raw_rates;
      for (int rep = 0; rep < config.reps; ++rep) {
        // Alternating raw and engine spreads the machine's noise over both columns.
        std::string name = kind + "-" + DurabilityName(durability) + "-" + std::to_string(config.depth) + "-" +
                           std::to_string(rep);
        if (run_raw) {
          RunStore run{kind, durability, StorePath(dir.path(), kind, name + "-raw")};
          raw_rates.push_back(RawRun(run, config).PerSecond());
        }
        if (run_engine) {
          RunStore run{kind, durability, StorePath(dir.path(), kind, name + "-engine")};
          engine_rates.push_back(EngineRun(run, config).PerSecond());
        }
      }
      // The ratio is the median of each back-to-back pair's ratio: the disk's fsync latency drifts
      // between pairs far more than within one.
      std::vector<double> ratios;
      for (size_t i = 0; i < engine_rates.size() && i < raw_rates.size(); ++i) {
        if (raw_rates[i] > 0) ratios.push_back(engine_rates[i] / raw_rates[i]);
      }
      auto shown = [](const std::vector<double>& rates) { return rates.empty() ? "-" : Rate(Median(rates)); };
      // Busy entities are the target (see the top of this file); depth 1 is for information.
      const bool targeted = durability == Durability::kSync && config.depth > 1;
      table.Add({kind, DurabilityName(durability), std::to_string(config.depth), shown(engine_rates),
                 shown(raw_rates), ratios.empty() ? "-" : Ratio(Median(ratios), 1), targeted ? ">= 0.80" : "(info)"});
     }
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
