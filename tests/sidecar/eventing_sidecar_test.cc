// Event-log eventing through the in-process sidecar (semantics.md §8): events that entities persist
// reach the consumers declared with (cloudstate.eventing), with CloudEvent metadata, by type, in
// order; forwards and side effects of consumers run; an entity can consume; a function that cannot
// take events gets them again; committed offsets survive a restart of the sidecar.
#include <doctest/doctest.h>

#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "eventing.grpc.pb.h"
#include "eventing_function.h"
#include "proxy/metrics/metrics_registry.h"
#include "proxy/sidecar.h"
#include "support/test_sidecar.h"

namespace et = cloudstate::eventingtest;
using cloudstate::proxy::Sidecar;
using cloudstate::proxy::SidecarOptions;
using namespace std::chrono_literals;

namespace {

SidecarOptions Options(int function_port, const std::string& store_path, std::chrono::milliseconds relay_timeout,
                       std::chrono::milliseconds poll_interval) {
  SidecarOptions options = cloudstate::testing::TestSidecarOptions(function_port);
  if (!store_path.empty()) {
    options.store.kind = "sqlite";
    options.store.path = store_path;
  }
  options.relay_timeout = relay_timeout;
  options.eventing_poll_interval = poll_interval;
  options.eventing_backoff_min = 20ms;
  options.eventing_backoff_max = 100ms;
  return options;
}

// A sidecar in front of `function`, and stubs for the services the test calls.
struct Running {
  Running(et::EventingFunction& function, const std::string& store_path = "",
          std::chrono::milliseconds relay_timeout = 20s, std::chrono::milliseconds poll_interval = 10ms) {
    sidecar = cloudstate::testing::StartServingSidecar(Options(function.port(), store_path, relay_timeout, poll_interval));
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(sidecar->port()), grpc::InsecureChannelCredentials());
    notebook = et::Notebook::NewStub(channel);
    board = et::Board::NewStub(channel);
    tally = et::Tally::NewStub(channel);
  }

  void Write(const std::string& id, const std::string& text, const std::string& kind = "") {
    Send(*notebook, &et::Notebook::Stub::Write, id, text, kind);
  }

  void Publish(const std::string& id, const std::string& text) { Send(*board, &et::Board::Stub::Publish, id, text, ""); }

  template <typename Stub, typename Method>
  void Send(Stub& stub, Method method, const std::string& id, const std::string& text, const std::string& kind) {
    et::Post post;
    post.set_id(id);
    post.set_text(text);
    post.set_kind(kind);
    google::protobuf::Empty empty;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    grpc::Status status = (stub.*method)(&context, post, &empty);
    REQUIRE_MESSAGE(status.ok(), status.error_message());
  }

  int64_t Tallied(const std::string& id) {
    et::TallyId request;
    request.set_id(id);
    et::Count count;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    grpc::Status status = tally->Get(&context, request, &count);
    REQUIRE_MESSAGE(status.ok(), status.error_message());
    return count.posts();
  }

  std::unique_ptr<Sidecar> sidecar;
  std::unique_ptr<et::Notebook::Stub> notebook;
  std::unique_ptr<et::Board::Stub> board;
  std::unique_ptr<et::Tally::Stub> tally;
};

std::string TempPath(const std::string& name) {
  const char* base = std::getenv("CLOUDSTATE_TEST_TMPDIR");
  std::filesystem::path dir = base != nullptr ? base : std::filesystem::temp_directory_path();
  std::filesystem::create_directories(dir);
  std::filesystem::path path = dir / (name + "-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  return path.string();
}

// A sample of /metrics, -1 when absent.
double Metric(Sidecar& sidecar, const std::string& name) {
  std::string text = sidecar.metrics().RenderText();
  size_t at = text.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::stod(text.substr(at + name.size() + 2));
}

}  // namespace

TEST_CASE("persisted events reach the method of their type with their CloudEvent metadata, in order") {
  et::EventingFunction function;
  REQUIRE(function.Start());
  Running running(function);
  running.Write("n1", "hello");
  running.Write("n:2", "a note", "note");
  running.Write("n1", "in json", "json");
  running.Write("n1", "again");
  REQUIRE(function.seen().WaitFor("OnPosted", 2));
  REQUIRE(function.seen().WaitFor("OnOther", 2));
  std::vector<std::string> lines = function.seen().Lines();
  REQUIRE(lines.size() == 4);
  const std::string posted = " notebooks type.googleapis.com/cloudstate.eventingtest.Posted "
                             "application/vnd.cloudstate.protobuf.any 1.0";
  // ce-id is the event's offset in the store: the first is 1 on a fresh store, and they grow.
  CHECK(lines[0] == "OnPosted n1 hello 1" + posted);
  CHECK(lines[1] == "OnOther n:2 type.googleapis.com/cloudstate.eventingtest.Noted");
  CHECK(lines[2] == "OnOther n1 json.cloudstate.io/cloudstate.eventingtest.Posted");  // JSON goes to the Any method
  CHECK(lines[3] == "OnPosted n1 again 4" + posted);
}

TEST_CASE("a consumer hears of this sidecar's appends at once, not at its next poll") {
  et::EventingFunction function;
  REQUIRE(function.Start());
  Running running(function, "", 20s, /*poll_interval=*/1h);
  std::this_thread::sleep_for(50ms);  // the consumers' first look at the empty log is over
  running.Write("n1", "prompt");
  CHECK(function.seen().WaitFor("OnPosted n1 prompt"));  // within 10 s, far less than an hour
}

TEST_CASE("a consumer's forward and a streamed consumer's replies and side effects run") {
  et::EventingFunction function;
  REQUIRE(function.Start());
  Running running(function);
  running.Write("n1", "forward:onwards");
  CHECK(function.seen().WaitFor("Note onwards"));
  running.Publish("b1", "news");
  CHECK(function.seen().WaitFor("Note digest:news"));
  CHECK(function.seen().Starting("Note digest:").size() == 1);
}

TEST_CASE("an entity consumes a log: each event goes to the entity its key names") {
  et::EventingFunction function;
  REQUIRE(function.Start());
  Running running(function);
  for (int i = 0; i < 3; ++i) running.Publish("b1", "post " + std::to_string(i));
  running.Publish("b2", "other");
  for (int i = 0; i < 500 && running.Tallied("b1") < 3; ++i) std::this_thread::sleep_for(10ms);
  CHECK(running.Tallied("b1") == 3);
  CHECK(running.Tallied("b2") == 1);
}

TEST_CASE("events a function could not take come again once it can, and only those") {
  et::EventingFunction function;
  REQUIRE(function.Start());
  Running running(function, "", /*relay_timeout=*/300ms);
  running.Write("n1", "before");
  REQUIRE(function.seen().WaitFor("OnPosted n1 before"));
  function.seen().SetStall(600ms);
  running.Write("n1", "during");
  for (int i = 0; i < 500 && function.seen().stalled() < 2; ++i) std::this_thread::sleep_for(10ms);
  REQUIRE(function.seen().stalled() >= 2);  // tried, timed out, and tried again after a backoff
  CHECK(function.seen().Starting("OnPosted n1 during").empty());
  function.seen().SetStall(0ms);
  REQUIRE(function.seen().WaitFor("OnPosted n1 during"));
  running.Write("n1", "after");
  REQUIRE(function.seen().WaitFor("OnPosted n1 after"));
  CHECK(function.seen().Starting("OnPosted n1 before").size() == 1);
  CHECK(function.seen().Starting("OnPosted n1 during").size() == 1);
  CHECK(Metric(*running.sidecar, "cloudstate_eventing_consumer_restarts_total") >= 1);
  // The last delivery is counted once its answer is back, just after the function recorded it.
  for (int i = 0; i < 500 && Metric(*running.sidecar, "cloudstate_eventing_events_delivered_total") < 3; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  CHECK(Metric(*running.sidecar, "cloudstate_eventing_events_delivered_total") == 3);
}

TEST_CASE("a restarted sidecar goes on after the offset the last one committed") {
  et::EventingFunction function;
  REQUIRE(function.Start());
  const std::string path = TempPath("eventing-offsets");
  {
    Running first(function, path);
    first.Write("n1", "first");
    first.Write("n1", "second");
    REQUIRE(function.seen().WaitFor("OnPosted n1 second"));
    first.sidecar->Shutdown(5s);  // commits the consumer's offset
  }
  Running restarted(function, path);
  restarted.Write("n1", "third");
  REQUIRE(function.seen().WaitFor("OnPosted n1 third"));
  std::this_thread::sleep_for(100ms);  // ten polls: time for anything delivered twice to show
  CHECK(function.seen().Starting("OnPosted").size() == 3);
  std::filesystem::remove(path);
}
