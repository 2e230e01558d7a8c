// HTTP/JSON next to gRPC through the same sidecar and user function: the keyed-counter workload
// other systems are compared on. A counter entity per key (POST /counter/{key}/add with an
// increment), on the SQLite store with durability on (fsync, group commit), in three shapes:
// 1000 keys chosen uniformly over 32 connections, one hot key over 32 connections, and one
// connection sequential. HTTP load comes from wrk; the baseline is the same calls over gRPC from a
// closed loop with as many callers, in a process of its own as wrk is. Afterwards every counter is read back and must add up to the
// adds that succeeded (exit status 1 when not).
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cxxopts.hpp>
#include <future>
#include <iostream>
#include <mutex>
#include <random>
#include <sstream>

#include "counter.pb.h"
#include "proxy/sidecar.h"
#include "support/closed_loop.h"
#include "support/counter_function.h"
#include "support/figures.h"
#include "support/temp_dir.h"
#include "support/wrk_run.h"

namespace {

namespace bench = cloudstate::bench;
using Clock = std::chrono::steady_clock;

constexpr char kAdd[] = "/cloudstate.bench.Counter/Add";
constexpr char kGet[] = "/cloudstate.bench.Counter/Get";

struct Shape {
  std::string name;
  int keys;
  int connections;
};

struct Figures {
  double rate = 0, p50_us = 0, p99_us = 0;
  long ok = 0, failed = 0, unanswered = 0;
};

grpc::ByteBuffer Buffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string KeyName(const std::string& prefix, int n) { return prefix + std::to_string(n); }

// The same adds over gRPC: `callers` calls in flight, each issued when the previous one completes.
// Every call completes before this returns, so the count of successes is exact.
// One channel per caller, as wrk opens one TCP connection per connection: a shared channel would
// put every caller on one HTTP/2 connection and make the baseline that connection's limit.
std::vector<std::unique_ptr<grpc::GenericStub>> StubsFor(int port, int callers) {
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  for (int i = 0; i < callers; ++i) {
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // its own connection
    stubs.push_back(std::make_unique<grpc::GenericStub>(grpc::CreateCustomChannel(
        "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials(), arguments)));
  }
  return stubs;
}

Figures GrpcLoad(int port, const Shape& shape, const std::string& prefix, std::chrono::seconds duration) {
  auto stubs = StubsFor(port, shape.connections);
  struct Slot {
    grpc::ClientContext context;
    grpc::ByteBuffer request, reply;
    Clock::time_point started;
  };
  std::vector<std::unique_ptr<Slot>> slots(shape.connections);
  std::mutex mu;
  std::vector<double> micros;
  std::atomic<long> failed{0};
  std::mt19937 random(7);
  bench::ClosedLoop* loop_ptr = nullptr;
  bench::ClosedLoop loop(shape.connections, [&](size_t slot) {
    cloudstate::bench::Increment increment;
    {
      std::lock_guard lock(mu);
      increment.set_key(KeyName(prefix, std::uniform_int_distribution<int>(1, shape.keys)(random)));
    }
    increment.set_by(1);
    auto& call = slots[slot];
    call = std::make_unique<Slot>();
    call->request = Buffer(increment.SerializeAsString());
    call->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    call->started = Clock::now();
    stubs[slot]->UnaryCall(&call->context, kAdd, grpc::StubOptions(), &call->request, &call->reply,
                   [&, slot](grpc::Status status) {
                     double us = std::chrono::duration<double, std::micro>(Clock::now() - slots[slot]->started).count();
                     {
                       std::lock_guard lock(mu);
                       micros.push_back(us);
                     }
                     if (!status.ok()) failed++;
                     loop_ptr->Done(slot, status.ok() ? cloudstate::Status::Ok()
                                                      : cloudstate::Status::Unavailable(status.error_message()));
                   });
  });
  loop_ptr = &loop;
  bench::LoopResult result = loop.Run({std::chrono::milliseconds(0), duration});
  Figures figures;
  figures.rate = result.PerSecond();
  figures.p50_us = bench::Percentile(micros, 50);
  figures.p99_us = bench::Percentile(micros, 99);
  figures.failed = static_cast<long>(result.errors);
  figures.ok = static_cast<long>(result.total_ops - result.errors);
  return figures;
}

// The gRPC load from a process of its own, as wrk is: in this process its client threads would
// share gRPC's threads with the sidecar it measures. Runs this program with --grpc-load, which
// prints the figures on one line.
cloudstate::Result<Figures> GrpcLoadInChild(int port, const Shape& shape, const std::string& prefix,
                                            std::chrono::seconds duration) {
  std::vector<std::string> args = {"/proc/self/exe", "--grpc-load", std::to_string(port), "--grpc-load-keys",
                                   std::to_string(shape.keys), "--grpc-load-callers", std::to_string(shape.connections),
                                   "--grpc-load-prefix", prefix, "--seconds", std::to_string(duration.count())};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int out[2];
  if (pipe(out) != 0) return cloudstate::Status::Unavailable("no pipe for the gRPC load");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  std::string line;
  char buffer[256];
  for (ssize_t n; (n = read(out[0], buffer, sizeof buffer)) > 0;) line.append(buffer, static_cast<size_t>(n));
  close(out[0]);
  int status = 0;
  if (spawned == 0) waitpid(pid, &status, 0);
  Figures figures;
  std::istringstream fields(line);
  if (spawned != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
      !(fields >> figures.rate >> figures.p50_us >> figures.p99_us >> figures.ok >> figures.failed)) {
    return cloudstate::Status::Unavailable("the gRPC load process failed: '" + line + "'");
  }
  return figures;
}

// The sum of the counters <prefix>1 .. <prefix><keys>, read back over gRPC; -1 on a failed read.
long SumCounters(grpc::GenericStub& stub, const std::string& prefix, int keys) {
  long sum = 0;
  for (int n = 1; n <= keys; ++n) {
    cloudstate::bench::CounterKey key;
    key.set_key(KeyName(prefix, n));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    grpc::ByteBuffer request = Buffer(key.SerializeAsString()), reply;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, kGet, grpc::StubOptions(), &request, &reply, [&](grpc::Status s) { done.set_value(s); });
    grpc::Status status = done.get_future().get();
    std::vector<grpc::Slice> slices;
    std::string bytes;  // empty for a counter at 0
    if (status.ok() && reply.Dump(&slices).ok()) {
      for (const auto& slice : slices) bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
    cloudstate::bench::CounterValue value;
    if (!status.ok() || !value.ParseFromString(bytes)) {
      std::cerr << "reading counter " << key.key() << " failed: " << status.error_message() << '\n';
      return -1;
    }
    sum += value.value();
  }
  return sum;
}

// Whether the counters of one run add up: the successful adds, plus at most those whose answer
// never came (wrk stops with requests in flight; the server may have applied them).
bool Consistent(const std::string& what, long sum, const Figures& f) {
  bool ok = sum >= f.ok && sum <= f.ok + f.unanswered;
  std::cout << "  " << what << ": counters sum to " << sum << ", " << f.ok << " adds succeeded";
  if (f.unanswered > 0) std::cout << ", " << f.unanswered << " were in flight at the stop";
  std::cout << (ok ? " -> OK" : " -> MISMATCH") << '\n';
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  cxxopts::Options options("http_json", "The keyed counter over HTTP/JSON (wrk) vs gRPC through the same sidecar");
  options.add_options()
      ("seconds", "duration of each run", cxxopts::value<int>()->default_value("20"))
      ("keys", "keys of the uniform runs", cxxopts::value<int>()->default_value("1000"))
      ("connections", "connections (and gRPC callers) of the concurrent runs", cxxopts::value<int>()->default_value("32"))
      ("wrk", "the wrk program", cxxopts::value<std::string>()->default_value("wrk"))
      ("h,help", "this help");
  // The gRPC load's own process (see GrpcLoadInChild); not for direct use.
  options.add_options("internal")
      ("grpc-load", "", cxxopts::value<int>())
      ("grpc-load-keys", "", cxxopts::value<int>())
      ("grpc-load-callers", "", cxxopts::value<int>())
      ("grpc-load-prefix", "", cxxopts::value<std::string>());
  auto parsed = options.parse(argc, argv);
  if (parsed.count("help")) {
    std::cout << options.help({""}) << '\n';
    return 0;
  }
  const auto duration = std::chrono::seconds(parsed["seconds"].as<int>());
  if (parsed.count("grpc-load")) {
    Shape shape{"", parsed["grpc-load-keys"].as<int>(), parsed["grpc-load-callers"].as<int>()};
    Figures f = GrpcLoad(parsed["grpc-load"].as<int>(), shape, parsed["grpc-load-prefix"].as<std::string>(), duration);
    std::cout << f.rate << ' ' << f.p50_us << ' ' << f.p99_us << ' ' << f.ok << ' ' << f.failed << std::endl;
    return 0;
  }
  const int keys = parsed["keys"].as<int>();
  const int connections = parsed["connections"].as<int>();

  bench::TempDir dir("cloudstate-bench-");
  cloudstate::FunctionServerOptions function_options;
  function_options.port = 0;
  function_options.log = [](cloudstate::LogLevel, const std::string&) {};
  cloudstate::FunctionServer function(function_options);
  if (!bench::AddCounter(function).ok() || !function.Start().ok()) return 1;
  cloudstate::proxy::SidecarOptions sidecar_options;
  sidecar_options.bind_address = "127.0.0.1";
  sidecar_options.port = 0;
  sidecar_options.user_function_port = function.port();
  sidecar_options.store.kind = "sqlite";
  sidecar_options.store.path = dir.Sub("counter.db");
  sidecar_options.store.durability = cloudstate::Durability::kSync;
  sidecar_options.log = cloudstate::StderrLogSink(cloudstate::LogLevel::kWarning);
  auto sidecar = cloudstate::proxy::Sidecar::Start(sidecar_options);
  if (!sidecar.ok() || !(*sidecar)->WaitUntilReady(std::chrono::seconds(10)).ok()) return 1;
  const int port = (*sidecar)->port();
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
  grpc::GenericStub stub(channel);

  const std::vector<Shape> shapes = {{std::to_string(keys) + " keys, " + std::to_string(connections) + " conns", keys,
                                      connections},
                                     {"1 hot key, " + std::to_string(connections) + " conns", 1, connections},
                                     {std::to_string(keys) + " keys, 1 conn sequential", keys, 1}};
  std::cout << "http_json: keyed counter adds through the sidecar (SQLite, fsync) to a C++ event-sourced counter;\n"
               "HTTP/JSON from wrk vs gRPC from a closed loop with as many callers, one channel each; "
            << duration.count() << " s per run\n\n";
  bench::Table table({"workload", "HTTP/JSON req/s", "gRPC req/s", "ratio", "HTTP p50", "gRPC p50", "HTTP p99",
                      "gRPC p99", "HTTP errors", "gRPC errors"});
  bool consistent = true;
  std::vector<std::string> checks;
  for (size_t i = 0; i < shapes.size(); ++i) {
    const Shape& shape = shapes[i];
    const std::string http_prefix = "h" + std::to_string(i) + "-", grpc_prefix = "g" + std::to_string(i) + "-";
    bench::WrkLoad load;
    load.wrk = parsed["wrk"].as<std::string>();
    load.url = "http://127.0.0.1:" + std::to_string(port);
    load.key_prefix = http_prefix;
    load.keys = shape.keys;
    load.connections = shape.connections;
    load.duration = duration;
    load.scratch_dir = dir.path();
    auto wrk = bench::RunWrk(load);
    if (!wrk.ok()) {
      std::cerr << wrk.status().ToString() << '\n';
      return 1;
    }
    Figures http{wrk->requests_per_second, wrk->p50_us, wrk->p99_us, wrk->ok, wrk->failed, wrk->unanswered};
    auto grpc_load = GrpcLoadInChild(port, shape, grpc_prefix, duration);
    if (!grpc_load.ok()) {
      std::cerr << grpc_load.status().ToString() << '\n';
      return 1;
    }
    Figures grpc_figures = *grpc_load;
    table.Add({shape.name, bench::Rate(http.rate), bench::Rate(grpc_figures.rate), bench::Ratio(http.rate, grpc_figures.rate),
               bench::Micros(http.p50_us), bench::Micros(grpc_figures.p50_us), bench::Micros(http.p99_us),
               bench::Micros(grpc_figures.p99_us), std::to_string(http.failed + wrk->socket_errors),
               std::to_string(grpc_figures.failed)});
    std::cout << "checking " << shape.name << '\n';
    consistent = Consistent("HTTP", SumCounters(stub, http_prefix, shape.keys), http) && consistent;
    consistent = Consistent("gRPC", SumCounters(stub, grpc_prefix, shape.keys), grpc_figures) && consistent;
  }
  std::cout << '\n';
  table.Print(std::cout);
  std::cout << "\nratio: HTTP/JSON requests/s over gRPC's; latencies as each client measured them\n"
            << (consistent ? "counters: OK\n" : "counters: MISMATCH\n");
  (*sidecar)->Shutdown(std::chrono::seconds(5));
  function.Shutdown(std::chrono::seconds(1));
  return consistent ? 0 : 1;
}
