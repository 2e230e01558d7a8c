// The sidecar's cost. One command through the sidecar to a C++ user function (the cart on our
// function server) next to its physical floor, two plain gRPC unary hops on loopback (client ->
// relay -> echo): p50/p99 of one sequential caller, and throughput with 64 concurrent callers.
// Then the `cloudstate-cli serve` process: time from exec until its port answers (the user
// function already running) and its idle resident memory.
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <cxxopts.hpp>
#include <fstream>
#include <iostream>
#include <thread>

#include "cloudstate/function_server.h"
#include "proxy/sidecar.h"
#include "shopping_cart_function.h"
#include "shoppingcart.pb.h"
#include "support/figures.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace bench = cloudstate::bench;

grpc::ByteBuffer Buffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

// A generic unary server: echoes, or relays each call to `next` (the middle hop of the floor).
class Hop final : public grpc::CallbackGenericService {
 public:
  explicit Hop(std::shared_ptr<grpc::Channel> next) : next_(std::move(next)), stub_(next_) {}
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override {
    return new Call(*this, context);
  }

 private:
  class Call final : public grpc::ServerGenericBidiReactor {
   public:
    Call(Hop& hop, grpc::GenericCallbackServerContext* context) : hop_(hop), context_(context) { StartRead(&request_); }
    void OnReadDone(bool ok) override {
      if (!ok) return Finish(grpc::Status::CANCELLED);
      if (!hop_.next_) return StartWriteAndFinish(&request_, grpc::WriteOptions(), grpc::Status::OK);
      hop_.stub_.UnaryCall(&client_context_, context_->method(), grpc::StubOptions(), &request_, &response_,
                           [this](grpc::Status status) {
                             if (!status.ok()) return Finish(status);
                             StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
                           });
    }
    void OnDone() override { delete this; }

   private:
    Hop& hop_;
    grpc::GenericCallbackServerContext* context_;
    grpc::ClientContext client_context_;
    grpc::ByteBuffer request_, response_;
  };

  std::shared_ptr<grpc::Channel> next_;
  grpc::GenericStub stub_;
};

std::unique_ptr<grpc::Server> Listen(grpc::CallbackGenericService& service, int* port) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), port);
  builder.RegisterCallbackGenericService(&service);
  return builder.BuildAndStart();
}

std::shared_ptr<grpc::Channel> Connect(int port) {
  return grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
}

// One blocking unary call through a generic stub; returns false on error.
bool Call(grpc::GenericStub& stub, const std::string& method, const grpc::ByteBuffer& request) {
  grpc::ClientContext context;
  grpc::ByteBuffer response;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false, ok = false;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response, [&](grpc::Status status) {
    std::lock_guard lock(mu);
    ok = status.ok();
    done = true;
    cv.notify_one();
  });
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return done; });
  return ok;
}

struct Latency {
  double p50, p99;
};

Latency Sequential(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                   const grpc::ByteBuffer& request, int calls) {
  grpc::GenericStub stub(channel);
  for (int i = 0; i < calls / 10; ++i) Call(stub, method, request);  // warm up
  std::vector<double> micros;
  for (int i = 0; i < calls; ++i) {
    auto start = Clock::now();
    if (!Call(stub, method, request)) std::cerr << "call failed: " << method << '\n';
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  return {bench::Percentile(micros, 50), bench::Percentile(micros, 99)};
}

double Concurrent(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                  const grpc::ByteBuffer& request, int callers, std::chrono::milliseconds duration) {
  std::atomic<long> done{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < callers; ++i) {
    threads.emplace_back([&] {
      grpc::GenericStub stub(channel);
      while (!stop) {
        if (Call(stub, method, request)) done++;
      }
    });
  }
  std::this_thread::sleep_for(duration / 5);
  long before = done;
  std::this_thread::sleep_for(duration);
  long after = done;
  stop = true;
  for (auto& thread : threads) thread.join();
  return (after - before) / std::chrono::duration<double>(duration).count();
}

// True once `GET /ready` on the client port answers 200: the user function was discovered and its
// services are served (the port itself is bound before discovery).
bool Ready(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ready = false;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    const char request[] = "GET /ready HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n";
    char status[16] = {};
    if (write(fd, request, sizeof request - 1) == static_cast<ssize_t>(sizeof request - 1) &&
        read(fd, status, sizeof status - 1) >= 12) {
      ready = std::string(status, 12) == "HTTP/1.1 200";
    }
  }
  close(fd);
  return ready;
}

long RssKb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

}  // namespace

struct ServeRun {
  pid_t pid = -1;
  double ready_ms = 0;
};

// Starts `cloudstate-cli serve` in front of the function on a free port and times exec until
// GET /ready answers 200. Probes every 100 us rather than spinning: a spinning prober would take a
// core from the process it measures.
ServeRun StartServe(const std::string& cli, int function_port) {
  int port = 0;
  {
    Hop probe(nullptr);
    auto server = Listen(probe, &port);  // bind 0, read the port, free it
    server->Shutdown();
  }
  ServeRun run;
  auto start = Clock::now();
  run.pid = fork();
  if (run.pid == 0) {
    std::string port_arg = std::to_string(port), uf_arg = std::to_string(function_port);
    execl(cli.c_str(), cli.c_str(), "serve", "--port", port_arg.c_str(), "--user-function-port", uf_arg.c_str(),
          "--store", "memory", "--log-level", "error", static_cast<char*>(nullptr));
    _exit(127);
  }
  while (!Ready(port) && Clock::now() - start < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  run.ready_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return run;
}

void StopServe(pid_t pid) {
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
}

int main(int argc, char** argv) {
  cxxopts::Options options("sidecar_roundtrip", "A command through the sidecar vs two plain gRPC hops");
  options.add_options()
      ("calls", "sequential calls per latency figure", cxxopts::value<int>()->default_value("3000"))
      ("callers", "concurrent callers for throughput", cxxopts::value<int>()->default_value("64"))
      ("measure-ms", "throughput window", cxxopts::value<int>()->default_value("2000"))
      ("cli", "path of cloudstate-cli, for the start-up and memory figures", cxxopts::value<std::string>()->default_value(""))
      ("h,help", "this help");
  auto parsed = options.parse(argc, argv);
  if (parsed.count("help")) {
    std::cout << options.help() << '\n';
    return 0;
  }
  const int calls = parsed["calls"].as<int>();
  const int callers = parsed["callers"].as<int>();
  const auto window = std::chrono::milliseconds(parsed["measure-ms"].as<int>());

  // The floor: client -> relay -> echo, plain gRPC.
  int echo_port = 0, relay_port = 0;
  Hop echo(nullptr);
  auto echo_server = Listen(echo, &echo_port);
  Hop relay(Connect(echo_port));
  auto relay_server = Listen(relay, &relay_port);

  // The sidecar in front of the cart on our function server, in memory (no fsync in the path).
  cloudstate::FunctionServerOptions function_options;
  function_options.port = 0;
  function_options.log = [](cloudstate::LogLevel, const std::string&) {};
  cloudstate::FunctionServer function(function_options);
  if (!shopping_cart::AddShoppingCart(function).ok() || !function.Start().ok()) return 1;
  cloudstate::proxy::SidecarOptions sidecar_options;
  sidecar_options.port = 0;
  sidecar_options.user_function_port = function.port();
  sidecar_options.store.kind = "memory";
  sidecar_options.log = [](cloudstate::LogLevel, const std::string&) {};
  auto sidecar = cloudstate::proxy::Sidecar::Start(sidecar_options);
  if (!sidecar.ok() || !(*sidecar)->WaitUntilReady(std::chrono::seconds(10)).ok()) return 1;

  com::example::shoppingcart::GetShoppingCart get;
  get.set_user_id("bench");
  com::example::shoppingcart::AddLineItem add;
  add.set_user_id("bench");
  add.set_product_id("p");
  add.set_name("P");
  add.set_quantity(1);
  const std::string service = "/com.example.shoppingcart.ShoppingCart/";
  auto sidecar_channel = Connect((*sidecar)->port());
  auto floor_channel = Connect(relay_port);
  grpc::ByteBuffer get_request = Buffer(get.SerializeAsString());
  grpc::ByteBuffer add_request = Buffer(add.SerializeAsString());

  Latency floor = Sequential(floor_channel, service + "GetCart", get_request, calls);
  Latency read = Sequential(sidecar_channel, service + "GetCart", get_request, calls);
  Latency write = Sequential(sidecar_channel, service + "AddItem", add_request, calls);
  double floor_rate = Concurrent(floor_channel, service + "GetCart", get_request, callers, window);
  double read_rate = Concurrent(sidecar_channel, service + "GetCart", get_request, callers, window);

  std::cout << "sidecar_roundtrip: one command through the sidecar (memory store) to the C++ cart, vs two plain\n"
               "gRPC unary hops on loopback (client -> relay -> echo); "
            << calls << " sequential calls, " << callers << " concurrent callers\n\n";
  bench::Table table({"figure", "sidecar", "two hops", "ratio", "target"});
  table.Add({"p50, GetCart (read)", bench::Micros(read.p50), bench::Micros(floor.p50), bench::Ratio(read.p50, floor.p50), "<= 1.3"});
  table.Add({"p99, GetCart (read)", bench::Micros(read.p99), bench::Micros(floor.p99), bench::Ratio(read.p99, floor.p99), ""});
  table.Add({"p50, AddItem (event)", bench::Micros(write.p50), bench::Micros(floor.p50), bench::Ratio(write.p50, floor.p50), ""});
  table.Add({"calls/s, " + std::to_string(callers) + " callers, GetCart", bench::Rate(read_rate), bench::Rate(floor_rate),
             bench::Ratio(read_rate, floor_rate), ""});
  table.Print(std::cout);

  const std::string cli = parsed["cli"].as<std::string>();
  if (!cli.empty()) {
    // Several starts: one is at the mercy of the scheduler. The last one also gives the idle RSS.
    constexpr int kStarts = 7;
    std::vector<double> starts;
    long rss = 0;
    for (int i = 0; i < kStarts; ++i) {
      ServeRun run = StartServe(cli, function.port());
      starts.push_back(run.ready_ms);
      if (i == kStarts - 1) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
        rss = RssKb(run.pid);
      }
      StopServe(run.pid);
    }
    std::sort(starts.begin(), starts.end());
    std::cout << "\ncloudstate-cli serve: exec until /ready says 200, median of " << kStarts << ": " << starts[kStarts / 2]
              << " ms (min " << starts.front() << ", max " << starts.back()
              << "; target < 10 ms, includes process start and discovery); idle RSS " << rss / 1024.0
              << " MB (target < 15 MB)\n";
  }
  (*sidecar)->Shutdown(std::chrono::seconds(1));
  function.Shutdown(std::chrono::seconds(1));
  return 0;
}
