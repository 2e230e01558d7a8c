// memory_engine: the engine's own overhead, with the in-memory store (appends complete inline, so
// nothing but the engine is measured).
//
// Throughput: a fixed number of commands in flight (each slot sends its next command from the
// previous reply, moving on to another entity) over 1, 64 and 1024 entities, each command emitting
// one event. Baseline: the same closed loop over bare Env::Schedule tasks on a pool of the same size
// (a command costs the engine two such hops: start on the entity's strand, release the reply).
// Latency: one sequential caller doing SendAndWait, p50/p99, next to Env::Schedule + wait on a future.
#include <cxxopts.hpp>

#include <chrono>
#include <future>
#include <iostream>
#include <string>
#include <vector>

#include "cloudstate/engine.h"
#include "support/bench_counter.h"
#include "support/closed_loop.h"
#include "support/figures.h"
#include "support/stores.h"

namespace cloudstate::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Config {
  std::vector<size_t> entity_counts;
  size_t in_flight = 64;
  int workers = 0;
  int reps = 3;
  int samples = 20000;
  LoopTiming timing;
};

std::unique_ptr<Engine> OpenMemoryEngine(int workers) {
  EngineOptions options;
  options.store = MakeStoreOptions("memory", "", Durability::kBuffered);
  options.worker_threads = workers;
  Result<std::unique_ptr<Engine>> engine = Engine::Open(std::move(options));
  CheckOk(engine.status(), "opening the engine");
  CheckOk(RegisterBenchCounter(**engine, "counter"), "registering the counter");
  return std::move(*engine);
}

void Report(const LoopResult& result, const std::string& what) {
  if (result.errors == 0) return;
  std::cerr << "warning: " << what << ": " << result.errors << " failed operations, first: " << result.first_error
            << "\n";
}

double EngineRate(size_t entities, const Config& config) {
  std::unique_ptr<Engine> engine = OpenMemoryEngine(config.workers);
  std::vector<std::string> ids;
  for (size_t i = 0; i < entities; ++i) ids.push_back("e" + std::to_string(i));
  // Slot s starts on entity s and steps by the slot count, so every entity gets traffic and no two
  // slots share an entity unless there are fewer entities than slots.
  std::vector<size_t> next(config.in_flight);
  for (size_t slot = 0; slot < next.size(); ++slot) next[slot] = slot % entities;
  ClosedLoop* loop_ptr = nullptr;
  ClosedLoop loop(config.in_flight, [&](size_t slot) {
    size_t entity = next[slot];
    next[slot] = (entity + config.in_flight) % entities;
    engine->Send(AddCommand("counter", ids[entity]),
                 [loop = loop_ptr, slot](Result<CommandReply> reply) { loop->Done(slot, reply.status()); });
  });
  loop_ptr = &loop;
  LoopResult result = loop.Run(config.timing);
  Report(result, "engine with " + std::to_string(entities) + " entities");
  return result.PerSecond();
}

double ScheduleRate(Env& env, const Config& config) {
  ClosedLoop* loop_ptr = nullptr;
  ClosedLoop loop(config.in_flight, [&](size_t slot) {
    env.Schedule([loop = loop_ptr, slot] { loop->Done(slot, Status::Ok()); });
  });
  loop_ptr = &loop;
  return loop.Run(config.timing).PerSecond();
}

template <typename Fn>
std::vector<double> LatenciesMicros(int samples, Fn&& round_trip) {
  for (int i = 0; i < samples / 10; ++i) round_trip();  // warm-up: activation, allocator, caches
  std::vector<double> micros;
  micros.reserve(samples);
  for (int i = 0; i < samples; ++i) {
    auto start = Clock::now();
    round_trip();
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  return micros;
}

std::vector<double> EngineLatencies(const Config& config) {
  std::unique_ptr<Engine> engine = OpenMemoryEngine(config.workers);
  return LatenciesMicros(config.samples, [&] {
    Result<CommandReply> reply = engine->SendAndWait(AddCommand("counter", "latency"));
    CheckOk(reply.status(), "SendAndWait");
  });
}

std::vector<double> ScheduleLatencies(Env& env, const Config& config) {
  return LatenciesMicros(config.samples, [&] {
    std::promise<void> done;
    env.Schedule([&done] { done.set_value(); });
    done.get_future().wait();
  });
}

int Main(int argc, char** argv) {
  cxxopts::Options parser("memory_engine", "Engine commands/s and latency on the in-memory store vs bare Env::Schedule");
  parser.add_options()
      ("entities", "entity counts", cxxopts::value<std::vector<size_t>>()->default_value("1,64,1024"))
      ("in-flight", "commands kept in flight", cxxopts::value<size_t>()->default_value("64"))
      ("measure-ms", "measured window per run", cxxopts::value<int>()->default_value("1000"))
      ("warmup-ms", "unmeasured start of each run", cxxopts::value<int>()->default_value("250"))
      ("samples", "sequential round trips per latency run", cxxopts::value<int>()->default_value("20000"))
      ("reps", "runs per figure (the median is printed)", cxxopts::value<int>()->default_value("3"))
      ("workers", "worker threads of engine and baseline pool (0: one per core)",
       cxxopts::value<int>()->default_value("0"))
      ("engine-only", "skip the baselines and the latency runs (for profiling the engine)")
      ("h,help", "this help");
  auto args = parser.parse(argc, argv);
  if (args.count("help")) {
    std::cout << parser.help() << std::endl;
    return 0;
  }
  Config config;
  config.entity_counts = args["entities"].as<std::vector<size_t>>();
  config.in_flight = std::max<size_t>(1, args["in-flight"].as<size_t>());
  config.workers = args["workers"].as<int>();
  config.reps = std::max(1, args["reps"].as<int>());
  config.samples = std::max(1, args["samples"].as<int>());
  config.timing.measure = std::chrono::milliseconds(args["measure-ms"].as<int>());
  config.timing.warmup = std::chrono::milliseconds(args["warmup-ms"].as<int>());

  const bool engine_only = args.count("engine-only") > 0;
  std::shared_ptr<Env> env = NewDefaultEnv(config.workers);
  std::vector<std::vector<double>> engine_rates(config.entity_counts.size());
  std::vector<double> schedule_rates, engine_p50, engine_p99, schedule_p50, schedule_p99;
  for (int rep = 0; rep < config.reps; ++rep) {
    if (!engine_only) schedule_rates.push_back(ScheduleRate(*env, config));
    for (size_t i = 0; i < config.entity_counts.size(); ++i) {
      engine_rates[i].push_back(EngineRate(std::max<size_t>(1, config.entity_counts[i]), config));
    }
    if (engine_only) continue;
    std::vector<double> engine = EngineLatencies(config), bare = ScheduleLatencies(*env, config);
    engine_p50.push_back(Percentile(engine, 50));
    engine_p99.push_back(Percentile(engine, 99));
    schedule_p50.push_back(Percentile(bare, 50));
    schedule_p99.push_back(Percentile(bare, 99));
  }

  std::cout << "memory_engine: in-memory store, " << env->WorkerThreads() << " workers, " << config.in_flight
            << " commands in flight, 1 event per command; median of " << config.reps << " runs\n"
            << "baseline: Env::Schedule on a pool of the same size (rates: closed loop of tasks; latency: "
               "schedule + wait on a future)\n\n";
  Table table({"figure", "engine", "baseline", "engine/base"});
  auto shown = [](std::vector<double> values, std::string (*format)(double)) {
    return values.empty() ? std::string("-") : format(Median(std::move(values)));
  };
  for (size_t i = 0; i < config.entity_counts.size(); ++i) {
    size_t n = config.entity_counts[i];
    table.Add({"commands/s, " + std::to_string(n) + (n == 1 ? " entity" : " entities"), shown(engine_rates[i], Rate),
               shown(schedule_rates, Rate), Ratio(Median(engine_rates[i]), Median(schedule_rates))});
  }
  if (!engine_only) {
    table.Add({"latency p50, 1 caller", shown(engine_p50, Micros), shown(schedule_p50, Micros),
               Ratio(Median(engine_p50), Median(schedule_p50))});
    table.Add({"latency p99, 1 caller", shown(engine_p99, Micros), shown(schedule_p99, Micros),
               Ratio(Median(engine_p99), Median(schedule_p99))});
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
