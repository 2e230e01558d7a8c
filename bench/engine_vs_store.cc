// engine_vs_store: what the engine keeps of a durable store's group-commit write rate.
//
// Engine: 64 event-sourced entities, one command in flight on each (the next is sent from the
// previous reply), every command emitting one small event. Raw: 64 writers on 64 keys calling
// Journal::Append directly, each issuing its next one-event append from the previous completion.
// Same store kind, same durability, fresh files for every run. Target: engine/raw >= 0.8 at kSync.
#include <cxxopts.hpp>

#include <filesystem>
#include <iostream>
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

// Raw store: per-key writers chained on their own completions.
LoopResult RawRun(const RunStore& run, const Config& config) {
  std::unique_ptr<Store> store = OpenStoreOrDie(MakeStoreOptions(run.kind, run.path, run.durability));
  Journal& journal = store->journal();

  struct Writer {
    EntityKey key;
    int64_t sequence = 0;
    bool resync = false;  // an append failed: its outcome is unknown, ask the store
  };
  struct Shared {
    ClosedLoop* loop = nullptr;
    std::vector<Writer> writers;
  } shared;
  for (size_t i = 0; i < config.concurrency; ++i) shared.writers.push_back(Writer{{"raw", "w" + std::to_string(i)}});
  const google::protobuf::Any event = CounterEvent(1);

  ClosedLoop loop(config.concurrency, [&](size_t slot) {
    Writer& writer = shared.writers[slot];
    if (writer.resync) {
      Result<int64_t> highest = journal.HighestSequence(writer.key);
      if (highest.ok()) writer.sequence = *highest;
      writer.resync = false;
    }
    JournalWrite write;
    write.key = writer.key;
    write.expected_sequence = writer.sequence;
    write.events.push_back(event);
    // Captures two words, so std::function keeps it inline as the engine's reply callback does.
    journal.Append(std::move(write), [s = &shared, slot](Status status) {
      Writer& w = s->writers[slot];
      if (status.ok()) {
        ++w.sequence;
      } else {
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

// Engine: one in-flight command per entity, the next sent from the reply callback.
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
  ClosedLoop loop(config.concurrency, [&](size_t slot) {
    engine.Send(AddCommand("counter", ids[slot]),
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
      ("concurrency", "entities (engine) and writers (raw), one in flight each",
       cxxopts::value<size_t>()->default_value("64"))
      ("measure-ms", "measured window per run", cxxopts::value<int>()->default_value("700"))
      ("warmup-ms", "unmeasured start of each run", cxxopts::value<int>()->default_value("200"))
      ("reps", "runs per figure (the median is printed)", cxxopts::value<int>()->default_value("5"))
      ("workers", "engine worker threads (0: one per core)", cxxopts::value<int>()->default_value("0"))
      ("sync-only", "skip the kBuffered rows")
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
  if (!args.count("sync-only")) durabilities.push_back(Durability::kBuffered);

  TempDir dir("cloudstate-bench-");
  std::cout << "engine_vs_store: " << config.concurrency << " entities x 1 in-flight command (engine) vs "
            << config.concurrency << " writers x 1 in-flight Journal::Append (raw), 1 event each; median of "
            << config.reps << " x " << config.timing.measure.count()
            << " ms; engine/raw is the median of the per-run-pair ratios\n\n";

  Table table({"store", "durability", "engine/s", "raw/s", "engine/raw", "target"});
  for (const std::string& kind : args["stores"].as<std::vector<std::string>>()) {
    for (Durability durability : durabilities) {
      std::vector<double> engine_rates, raw_rates;
      for (int rep = 0; rep < config.reps; ++rep) {
        // Alternating raw and engine spreads the machine's noise over both columns.
        std::string name = kind + "-" + DurabilityName(durability) + "-" + std::to_string(rep);
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
      table.Add({kind, DurabilityName(durability), shown(engine_rates), shown(raw_rates),
                 ratios.empty() ? "-" : Ratio(Median(ratios), 1),
                 durability == Durability::kSync ? ">= 0.80" : "(info)"});
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
