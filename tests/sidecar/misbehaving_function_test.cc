// The sidecar against a user function that misbehaves on purpose, over real loopback gRPC: each
// misbehaviour gets the client the reference's error, restarts only that entity (fresh stream,
// init + replayed state, command ids from 1), is logged once, and leaves other entities alone.
// Also: discovery refusals, forwards to nowhere, and a user function that goes away and comes back.
#include <doctest/doctest.h>

#include <chrono>
#include <future>

#include "scripted_sidecar_harness.h"
#include "support/test_sidecar.h"

namespace st = cloudstate::sidecartest;
using cloudstate::proxy::Sidecar;
using cloudstate::proxy::SidecarOptions;
using namespace std::chrono_literals;
using namespace st::harness;

namespace {

struct Misbehaviour {
  const char* service;
  const char* mode;
  grpc::StatusCode code;
  const char* description;
};

// The whole promise for one misbehaviour; see the file comment.
void CheckMisbehaviour(Harness& h, const Misbehaviour& m) {
  const bool journaled = std::string(m.service) == st::kJournaled;
  const std::string victim = std::string("victim-") + m.mode;
  const std::string bystander = std::string("bystander-") + m.mode;
  Call first = h.Do(m.service, bystander, "ok");
  REQUIRE_MESSAGE(first.status.ok(), Describe(first));
  CHECK(first.response.command_id() == 1);
  Call stored = h.Do(m.service, victim, "emit", {"a", "b"});
  REQUIRE_MESSAGE(stored.status.ok(), Describe(stored));

  const size_t mark = h.log.Mark();
  Call bad = h.Do(m.service, victim, m.mode);
  CHECK_MESSAGE(bad.status.error_code() == m.code, Describe(bad));
  CHECK(bad.status.error_message() == m.description);

  // Only the victim restarts: a fresh stream, init with its state, command ids from 1.
  Call next = h.Do(m.service, victim, "ok");
  REQUIRE_MESSAGE(next.status.ok(), Describe(next));
  CHECK(next.response.command_id() == 1);
  CHECK(next.response.state() == "a,b");
  auto streams = h.function.Streams(victim);
  REQUIRE(streams.size() == 2);
  CHECK(streams[1].inits == 1);
  if (journaled) {
    CHECK(streams[1].events == std::vector<std::string>{"a", "b"});
    CHECK(streams[1].event_sequences == std::vector<int64_t>{1, 2});
  } else {
    CHECK(streams[1].init_has_state);
    CHECK(streams[1].init_state == "a,b");
  }
  CHECK(streams[1].command_ids == std::vector<int64_t>{1});
  // The broken stream is closed, not left hanging.
  CHECK(Eventually([&] { return h.function.Streams(victim)[0].ended; }));

  Call again = h.Do(m.service, bystander, "ok");
  REQUIRE_MESSAGE(again.status.ok(), Describe(again));
  CHECK(again.response.command_id() == 2);
  CHECK(h.function.Streams(bystander).size() == 1);

  // Logged once, with the entity and the command.
  auto problems = h.log.ProblemsSince(mark);
  REQUIRE_MESSAGE(problems.size() == 1, h.log.All());
  CHECK_MESSAGE(Contains(problems[0], std::string(m.service) + "/" + victim), problems[0]);
  CHECK_MESSAGE(Contains(problems[0], "command Do"), problems[0]);
}

}  // namespace

TEST_CASE("a misbehaving event-sourced function fails the command and restarts only that entity") {
  Harness h;
  h.Serve();
  const grpc::StatusCode unknown = grpc::StatusCode::UNKNOWN;
  for (const Misbehaviour& m : {
           Misbehaviour{st::kJournaled, "close-stream", unknown, "Unexpected entity termination"},
           Misbehaviour{st::kJournaled, "fail-stream", unknown, "Unexpected entity termination"},
           Misbehaviour{st::kJournaled, "wrong-id", unknown, "Unexpected entity reply"},
           Misbehaviour{st::kJournaled, "zero-id", unknown, "Unexpected entity reply"},
           Misbehaviour{st::kJournaled, "empty-message", unknown, "Unexpected entity message"},
           Misbehaviour{st::kJournaled, "failure-message", unknown, "Unexpected entity failure"},
           Misbehaviour{st::kJournaled, "hang", grpc::StatusCode::DEADLINE_EXCEEDED, "Unexpected entity termination"},
       }) {
    SUBCASE(m.mode) { CheckMisbehaviour(h, m); }
  }
}

TEST_CASE("a misbehaving value-entity function fails the command and restarts only that entity") {
  Harness h;
  h.Serve();
  const grpc::StatusCode unknown = grpc::StatusCode::UNKNOWN;
  for (const Misbehaviour& m : {
           Misbehaviour{st::kValued, "close-stream", unknown, "Unexpected Value entity termination"},
           Misbehaviour{st::kValued, "fail-stream", unknown, "Unexpected Value entity termination"},
           Misbehaviour{st::kValued, "wrong-id", unknown, "Unexpected Value entity reply"},
           Misbehaviour{st::kValued, "zero-id", unknown, "Unexpected Value entity reply"},
           Misbehaviour{st::kValued, "empty-message", unknown, "Unexpected Value entity failure"},
           Misbehaviour{st::kValued, "failure-message", unknown, "Unexpected Value entity failure"},
           Misbehaviour{st::kValued, "bad-state-action", unknown, "Unexpected Value entity failure"},
           Misbehaviour{st::kValued, "hang", grpc::StatusCode::DEADLINE_EXCEEDED, "Unexpected Value entity termination"},
       }) {
    SUBCASE(m.mode) { CheckMisbehaviour(h, m); }
  }
}

TEST_CASE("a reply when no command waits restarts the entity, whose next command gets a fresh stream") {
  Harness h;
  h.Serve();
  for (const auto& [service, description] : {std::pair{st::kJournaled, "Unexpected entity reply"},
                                             std::pair{st::kValued, "Unexpected Value entity reply"}}) {
    CAPTURE(service);
    const std::string chatty = std::string("chatty-") + service;
    REQUIRE(h.Do(service, chatty, "emit", {"a"}).status.ok());
    const size_t mark = h.log.Mark();
    Call first = h.Do(service, chatty, "double-reply");
    REQUIRE_MESSAGE(first.status.ok(), Describe(first));  // the first reply was a good one
    REQUIRE(Eventually([&] { return !h.log.ProblemsSince(mark).empty(); }));
    auto problems = h.log.ProblemsSince(mark);
    REQUIRE(problems.size() == 1);
    CHECK(Contains(problems[0], std::string(service) + "/" + chatty + ": " + description));
    Call next = h.Do(service, chatty, "ok");
    REQUIRE_MESSAGE(next.status.ok(), Describe(next));
    CHECK(next.response.command_id() == 1);
    CHECK(next.response.state() == "a");
    CHECK(h.function.Streams(chatty).size() == 2);
    CHECK(h.log.ProblemsSince(mark).size() == 1);
  }
}

TEST_CASE("events of a reply are persisted before the reply is released") {
  Harness h;
  h.Serve();
  CHECK(h.Do(st::kJournaled, "durable", "emit", {"a"}).response.state() == "a");
  Call second = h.Do(st::kJournaled, "durable", "emit", {"b", "c"});
  REQUIRE(second.status.ok());
  CHECK(second.response.state() == "a,b,c");
  CHECK(second.response.command_id() == 2);
  // Straight after the reply the entity crashes: what it replays must hold every acknowledged event.
  CHECK(h.Do(st::kJournaled, "durable", "failure-message").status.error_code() == grpc::StatusCode::UNKNOWN);
  Call after = h.Do(st::kJournaled, "durable", "ok");
  REQUIRE(after.status.ok());
  CHECK(after.response.state() == "a,b,c");
  auto streams = h.function.Streams("durable");
  REQUIRE(streams.size() == 2);
  CHECK(streams[1].event_sequences == std::vector<int64_t>{1, 2, 3});
}

TEST_CASE("a failure with restart persists nothing and reloads the event-sourced entity") {
  Harness h;
  h.Serve();
  REQUIRE(h.Do(st::kJournaled, "again", "emit", {"a"}).status.ok());
  Call failed = h.Do(st::kJournaled, "again", "restart-failure", {"lost"});
  CHECK(failed.status.error_code() == grpc::StatusCode::UNKNOWN);
  CHECK(failed.status.error_message() == "try again");
  Call next = h.Do(st::kJournaled, "again", "ok");
  REQUIRE(next.status.ok());
  CHECK(next.response.state() == "a");
  CHECK(next.response.command_id() == 1);
  auto streams = h.function.Streams("again");
  REQUIRE(streams.size() == 2);
  CHECK(streams[1].events == std::vector<std::string>{"a"});
}

TEST_CASE("client failures are replies: no restart, the stream goes on") {
  Harness h;
  h.Serve();
  for (const char* service : {st::kJournaled, st::kValued}) {
    CAPTURE(service);
    Call failed = h.Do(service, "picky", "failure");
    CHECK(failed.status.error_code() == grpc::StatusCode::UNKNOWN);
    CHECK(failed.status.error_message() == "rejected picky");
    CHECK(h.Do(service, "picky", "ok").response.command_id() == 2);
  }
  // Value entities do not honour restart (semantics.md §7.3).
  REQUIRE(h.Do(st::kValued, "stubborn", "emit", {"v"}).status.ok());
  Call failed = h.Do(st::kValued, "stubborn", "restart-failure");
  CHECK(failed.status.error_message() == "try again");
  Call next = h.Do(st::kValued, "stubborn", "ok");
  CHECK(next.response.command_id() == 3);
  CHECK(next.response.state() == "v");
  CHECK(h.function.Streams("stubborn").size() == 1);
}

TEST_CASE("forwards and side effects") {
  Harness h;
  h.Serve();
  SUBCASE("a forward gets the target's reply") {
    REQUIRE(h.Do(st::kValued, "target", "emit", {"t"}).status.ok());
    Call forwarded = h.Do(st::kJournaled, "source", "forward", {}, "target");
    REQUIRE_MESSAGE(forwarded.status.ok(), Describe(forwarded));
    CHECK(forwarded.response.state() == "t");
    CHECK(forwarded.response.command_id() == 2);
  }
  struct Unroutable {
    const char* name;
    const char* service;
    const char* mode;
    std::string description;
    std::string trace;
  };
  const std::string nowhere = std::string("Service [") + st::kNowhere + "] unknown";
  for (const Unroutable& u : {
           Unroutable{"event sourced forward to an unknown service", st::kJournaled, "forward-unknown-service", nowhere,
                      "forwarded from"},
           Unroutable{"value entity forward to an unknown service", st::kValued, "forward-unknown-service", nowhere,
                      "forwarded from"},
           Unroutable{"forward to an unknown method", st::kJournaled, "forward-unknown-method",
                      std::string("Service [") + st::kJournaled + "] does not have a command named: [Undo]",
                      "forwarded from"},
           Unroutable{"side effect to an unknown service", st::kValued, "side-effect-unknown-service", nowhere,
                      "side-effect of"},
       }) {
    SUBCASE(u.name) {
      Call lost = h.Do(u.service, "lost", u.mode);
      CHECK_MESSAGE(lost.status.error_code() == grpc::StatusCode::INTERNAL, Describe(lost));
      CHECK(lost.status.error_message() == u.description);
      // Reported to the user function with the route, as the reference does.
      CHECK(Eventually([&] { return !h.function.ReportedErrors().empty(); }));
      auto reported = h.function.ReportedErrors();
      REQUIRE(reported.size() == 1);
      CHECK(reported[0] == u.description + "\n  " + u.trace + " " + u.service + ".Do");
      // Not an entity crash: the stream goes on.
      CHECK(h.Do(u.service, "lost", "ok").response.command_id() == 2);
      CHECK(h.function.Streams("lost").size() == 1);
    }
  }
}

TEST_CASE("discovery refusals are reported to the function and returned by WaitUntilReady") {
  struct Refusal {
    const char* name;
    std::function<void(cloudstate::EntitySpec&)> edit;
    std::string message;
  };
  for (const Refusal& r : {
           Refusal{"protocol 1.0",
                   [](cloudstate::EntitySpec& spec) {
                     spec.mutable_service_info()->set_protocol_major_version(1);
                     spec.mutable_service_info()->set_protocol_minor_version(0);
                   },
                   "Incompatible protocol version 1.0, only 0.2 is supported"},
           Refusal{"no entities", [](cloudstate::EntitySpec& spec) { spec.clear_entities(); },
                   "No entities were reported by the discover call!"},
           Refusal{"unknown service",
                   [](cloudstate::EntitySpec& spec) { spec.mutable_entities(1)->set_service_name(st::kNowhere); },
                   std::string("Service [") + st::kNowhere + "] not found in descriptors!"},
           Refusal{"keyless method",
                   [](cloudstate::EntitySpec& spec) { spec.mutable_entities(0)->set_service_name(st::kKeyless); },
                   std::string("Event sourced entities do not support methods whose parameters do not have at least "
                               "one field marked as entity_key, but ") +
                       st::kKeyless + " has the following methods without keys: Get"},
       }) {
    SUBCASE(r.name) {
      Harness h(nullptr, r.edit);
      cloudstate::Status ready = h.sidecar->WaitUntilReady(5s);
      CHECK(ready.code() == cloudstate::StatusCode::kInvalidArgument);
      CHECK(ready.message() == r.message);
      CHECK(h.function.ReportedErrors() == std::vector<std::string>{r.message});
      CHECK_FALSE(h.sidecar->Ready());
      // The client port stays bound (it answers /live), but calls are refused, saying why.
      auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(h.sidecar->port()),
                                         grpc::InsecureChannelCredentials());
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + 10s);
      st::Request request;
      request.set_id("refused");
      st::Response response;
      grpc::Status refused = st::Journaled::NewStub(channel)->Do(&context, request, &response);
      CHECK(refused.error_code() == grpc::StatusCode::UNAVAILABLE);
      CHECK_MESSAGE(Contains(refused.error_message(), r.message), refused.error_message());
    }
  }
}

TEST_CASE("discovery waits for a user function that is not up yet") {
  Harness h;
  int port = h.function.port();
  h.function.Stop();
  // A sidecar started before its function: not ready, retrying.
  SidecarOptions options = cloudstate::testing::TestSidecarOptions(port);
  options.worker_threads = 1;
  options.backoff_max = 100ms;
  options.log = h.log.Sink();
  auto early = Sidecar::Start(options);
  REQUIRE(early.ok());
  CHECK((*early)->WaitUntilReady(150ms).code() == cloudstate::StatusCode::kDeadlineExceeded);
  REQUIRE(h.function.Start(port));
  cloudstate::Status ready = (*early)->WaitUntilReady(5s);
  CHECK_MESSAGE(ready.ok(), ready.ToString());
  (*early)->Shutdown(1s);
}

TEST_CASE("a user function that goes away fails the commands in flight and is reconnected to") {
  // A long relay timeout: the command in flight must fail because the function went, not by timing out.
  Harness h([](SidecarOptions& options) { options.relay_timeout = 5s; });
  h.Serve();
  REQUIRE(h.Do(st::kJournaled, "phoenix", "emit", {"a"}).status.ok());
  REQUIRE(h.Do(st::kValued, "idle", "emit", {"v"}).status.ok());

  auto in_flight = std::async(std::launch::async, [&] { return h.Do(st::kJournaled, "phoenix", "hang"); });
  REQUIRE(Eventually([&] {
    auto streams = h.function.Streams("phoenix");
    return !streams.empty() && streams[0].command_modes.size() == 2;
  }));
  const int port = h.function.port();
  auto went = std::chrono::steady_clock::now();
  h.function.Stop();
  Call lost = in_flight.get();
  CHECK_MESSAGE(lost.status.error_code() == grpc::StatusCode::UNKNOWN, Describe(lost));
  CHECK(lost.status.error_message() == "Unexpected entity termination");
  CHECK(std::chrono::steady_clock::now() - went < 2s);

  // While it is away, commands fail at once with the same clear error.
  Call away = h.Do(st::kValued, "idle", "ok");
  CHECK_MESSAGE(away.status.error_code() == grpc::StatusCode::UNKNOWN, Describe(away));
  CHECK(away.status.error_message() == "Unexpected Value entity termination");

  REQUIRE(h.function.Start(port));
  auto back = std::chrono::steady_clock::now();
  Call recovered;
  bool reconnected = Eventually(
      [&] {
        recovered = h.Do(st::kJournaled, "phoenix", "ok");
        return recovered.status.ok();
      },
      5s);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - back);
  REQUIRE_MESSAGE(reconnected, Describe(recovered) << "\n" << h.log.All());
  MESSAGE("reconnected after " << took.count() << " ms");
  // On the sidecar's backoff (at most 200 ms here) it typically takes ~100 ms; gRPC's own would
  // wait 1 s and more. Loose bound: the machine may be busy.
  CHECK(took < 3s);
  CHECK(recovered.response.state() == "a");
  CHECK(recovered.response.command_id() == 1);
  Call idle = h.Do(st::kValued, "idle", "ok");
  REQUIRE_MESSAGE(idle.status.ok(), Describe(idle));
  CHECK(idle.response.state() == "v");
  CHECK(idle.response.command_id() == 1);
  // The sidecar did not rediscover: it kept serving through the outage.
  CHECK(h.function.Discoveries() == 1);
}
