// The sidecar against a CRDT user function that misbehaves on purpose, over real loopback gRPC.
// A protocol violation crashes only that entity (semantics.md §7.4.12): its callers get
// "Entity terminating", the function hears why through reportError, the crash is logged once with
// the entity and the command, and the next command gets a fresh stream whose init carries the
// current state, with command ids from 1. Mistakes the reference only reports (streamed messages
// for commands with no open stream) or answers plainly (Failure) leave the stream alone.
#include <doctest/doctest.h>

#include "scripted_sidecar_harness.h"

namespace st = cloudstate::sidecartest;
using namespace std::chrono_literals;
using namespace st::harness;

namespace {

constexpr char kTerminating[] = "Entity terminating";

// What the function was told through reportError since `mark`, once something arrived; one
// message a line.
std::string ReportsSince(Harness& h, size_t mark) {
  Eventually([&] { return h.function.ReportedErrors().size() > mark; });
  std::this_thread::sleep_for(50ms);  // a second report, were there one, would be on its way
  auto reported = h.function.ReportedErrors();
  std::string lines;
  for (size_t i = mark; i < reported.size(); ++i) lines += reported[i] + "\n";
  return lines;
}

struct Crash {
  const char* mode;
  grpc::StatusCode code;
  std::string reported;  // "<victim>" stands for the entity id
};

std::string WithVictim(std::string text, const std::string& victim) {
  if (auto at = text.find("<victim>"); at != std::string::npos) text.replace(at, 8, victim);
  return text;
}

// The whole promise for one violation; see the file comment.
void CheckCrash(Harness& h, const Crash& c) {
  const std::string victim = std::string("victim-") + c.mode;
  const std::string bystander = std::string("bystander-") + c.mode;
  Call first = h.Do(st::kReplicated, bystander, "ok");
  REQUIRE_MESSAGE(first.status.ok(), Describe(first));
  CHECK(first.response.command_id() == 1);
  Call stored = h.Do(st::kReplicated, victim, "emit", {"a", "b"});
  REQUIRE_MESSAGE(stored.status.ok(), Describe(stored));

  const size_t mark = h.log.Mark();
  const size_t reports = h.function.ReportedErrors().size();
  Call bad = h.Do(st::kReplicated, victim, c.mode);
  CHECK_MESSAGE(bad.status.error_code() == c.code, Describe(bad));
  CHECK(bad.status.error_message() == kTerminating);
  CHECK(ReportsSince(h, reports) == WithVictim(c.reported, victim) + "\n");

  // Only the victim restarts: a fresh stream, init with the state it had, command ids from 1.
  Call next = h.Do(st::kReplicated, victim, "ok");
  REQUIRE_MESSAGE(next.status.ok(), Describe(next));
  CHECK(next.response.command_id() == 1);
  CHECK(next.response.state() == "a,b");
  auto streams = h.function.Streams(victim);
  REQUIRE(streams.size() == 2);
  CHECK(streams[1].inits == 1);
  CHECK(streams[1].init_has_state);
  CHECK(streams[1].init_state == "a,b");
  CHECK(streams[1].command_ids == std::vector<int64_t>{1});
  CHECK(Eventually([&] { return h.function.Streams(victim)[0].ended; }));

  Call again = h.Do(st::kReplicated, bystander, "ok");
  REQUIRE_MESSAGE(again.status.ok(), Describe(again));
  CHECK(again.response.command_id() == 2);
  CHECK(h.function.Streams(bystander).size() == 1);

  auto problems = h.log.ProblemsSince(mark);
  REQUIRE_MESSAGE(problems.size() == 1, h.log.All());
  CHECK_MESSAGE(Contains(problems[0], std::string(st::kReplicated) + "/" + victim), problems[0]);
  CHECK_MESSAGE(Contains(problems[0], "command Do"), problems[0]);
}

}  // namespace

TEST_CASE("a CRDT function breaking the protocol fails the command and restarts only that entity") {
  Harness h;
  h.Serve();
  const grpc::StatusCode unknown = grpc::StatusCode::UNKNOWN;
  // Texts the spec gives (semantics.md §7.4.8-§7.4.12) are the reference's; the others are ours
  // (see crdt_core.cc and crdt_bridge.cc).
  for (const Crash& c : {
           Crash{"close-stream", unknown, "Unexpected entity termination due to stream closure"},
           Crash{"fail-stream", unknown, "Entity crashed"},
           Crash{"wrong-id", unknown, "Received reply for entity id <victim> for unknown command 102"},
           Crash{"zero-id", unknown, "Received reply for entity id <victim> for unknown command 0"},
           Crash{"streamed-reply", unknown, "Streamed reply to non streamed command 2"},
           Crash{"cancelled-unknown", unknown,
                 "Received a stream cancelled response for command 102, whose stream is not closing"},
           Crash{"wrong-type-delta", unknown, "Received an invalid state action for command 2: GCounter delta for a ORSet"},
           Crash{"empty-delta", unknown, "Received an invalid state action for command 2: empty CrdtDelta"},
           Crash{"bad-state-action", unknown,
                 "Received an invalid state action for command 2: neither update nor delete"},
           Crash{"empty-message", unknown, "Received an empty message"},
           // Like event-sourced and value entities, a relay timeout keeps its code.
           Crash{"hang", grpc::StatusCode::DEADLINE_EXCEEDED, "No answer to command 2 within 300 ms"},
       }) {
    SUBCASE(c.mode) { CheckCrash(h, c); }
  }
}

TEST_CASE("a reply when no CRDT command waits restarts the entity, whose next command gets a fresh stream") {
  Harness h;
  h.Serve();
  REQUIRE(h.Do(st::kReplicated, "chatty", "emit", {"a"}).status.ok());
  const size_t mark = h.log.Mark();
  Call first = h.Do(st::kReplicated, "chatty", "double-reply");
  REQUIRE_MESSAGE(first.status.ok(), Describe(first));  // the first reply was a good one
  CHECK(ReportsSince(h, 0) == "Received reply for entity id chatty for unknown command 2\n");
  REQUIRE(Eventually([&] { return !h.log.ProblemsSince(mark).empty(); }));
  Call next = h.Do(st::kReplicated, "chatty", "ok");
  REQUIRE_MESSAGE(next.status.ok(), Describe(next));
  CHECK(next.response.command_id() == 1);
  CHECK(next.response.state() == "a");
  CHECK(h.function.Streams("chatty").size() == 2);
  auto problems = h.log.ProblemsSince(mark);
  REQUIRE_MESSAGE(problems.size() == 1, h.log.All());
  CHECK(Contains(problems[0], std::string(st::kReplicated) + "/chatty"));
}

TEST_CASE("a crash ends the entity's open streams with Entity terminating, and no other entity's") {
  Harness h;
  h.Serve();
  REQUIRE(h.Do(st::kReplicated, "watched", "emit", {"a"}).status.ok());
  grpc::ClientContext victim_context, bystander_context;
  victim_context.set_deadline(std::chrono::system_clock::now() + 10s);
  bystander_context.set_deadline(std::chrono::system_clock::now() + 10s);
  auto victim = h.replicated->Watch(&victim_context, MakeRequest("watched", "ok"));
  auto bystander = h.replicated->Watch(&bystander_context, MakeRequest("looking-on", "ok"));
  st::Response response;
  REQUIRE(victim->Read(&response));
  CHECK(response.state() == "a");
  REQUIRE(bystander->Read(&response));

  Call bad = h.Do(st::kReplicated, "watched", "wrong-id");
  CHECK(bad.status.error_message() == kTerminating);
  CHECK_FALSE(victim->Read(&response));
  grpc::Status ended = victim->Finish();
  CHECK_MESSAGE(ended.error_code() == grpc::StatusCode::UNKNOWN, Describe(ended));
  CHECK(ended.error_message() == kTerminating);

  // The bystander's stream is still open: cancelling it reaches the function.
  bystander_context.TryCancel();
  CHECK_FALSE(bystander->Read(&response));
  CHECK(Eventually([&] { return h.function.Streams("looking-on")[0].cancelled_ids == std::vector<int64_t>{1}; }));
  CHECK(h.function.Streams("looking-on").size() == 1);
}

TEST_CASE("streamed messages for a command without an open stream are reported and ignored") {
  Harness h;
  h.Serve();
  for (const auto& [mode, id] : {std::pair{"streamed-message", 2}, std::pair{"streamed-unknown", 102}}) {
    SUBCASE(mode) {
      REQUIRE(h.Do(st::kReplicated, "lenient", "emit", {"a"}).status.ok());
      const size_t mark = h.log.Mark();
      Call call = h.Do(st::kReplicated, "lenient", mode);
      REQUIRE_MESSAGE(call.status.ok(), Describe(call));
      CHECK(call.response.state() == "a");  // the reply, not the early streamed message
      CHECK(call.response.command_id() == 2);
      CHECK(ReportsSince(h, 0) == "Received streamed message for unknown command id: " + std::to_string(id) + "\n");
      // Not a crash: the stream goes on.
      CHECK(h.Do(st::kReplicated, "lenient", "ok").response.command_id() == 3);
      CHECK(h.function.Streams("lenient").size() == 1);
      auto problems = h.log.ProblemsSince(mark);
      REQUIRE_MESSAGE(problems.size() == 1, h.log.All());
      CHECK(Contains(problems[0], std::string(st::kReplicated) + "/lenient"));
    }
  }
}

TEST_CASE("CRDT failures are answers: the command fails, the stream goes on") {
  Harness h;
  h.Serve();
  REQUIRE(h.Do(st::kReplicated, "picky", "emit", {"a"}).status.ok());
  SUBCASE("a client failure gets its own description") {
    Call failed = h.Do(st::kReplicated, "picky", "failure");
    CHECK(failed.status.error_code() == grpc::StatusCode::UNKNOWN);
    CHECK(failed.status.error_message() == "rejected picky");
  }
  SUBCASE("a protocol Failure gets the reference's fixed text and is logged once") {
    const size_t mark = h.log.Mark();
    Call failed = h.Do(st::kReplicated, "picky", "failure-message");
    CHECK(failed.status.error_code() == grpc::StatusCode::UNKNOWN);
    CHECK(failed.status.error_message() == "Failed to update CRDT at requested write consistency");
    auto problems = h.log.ProblemsSince(mark);
    REQUIRE_MESSAGE(problems.size() == 1, h.log.All());
    CHECK_MESSAGE(Contains(problems[0], std::string(st::kReplicated) + "/picky"), problems[0]);
    CHECK_MESSAGE(Contains(problems[0], "command Do"), problems[0]);
    CHECK_MESSAGE(Contains(problems[0], "the function is confused"), problems[0]);
  }
  Call next = h.Do(st::kReplicated, "picky", "ok");
  CHECK(next.response.command_id() == 3);
  CHECK(next.response.state() == "a");
  CHECK(h.function.Streams("picky").size() == 1);
  CHECK(h.function.ReportedErrors().empty());
}

TEST_CASE("a CRDT reply naming a target nobody serves is reported with its route") {
  Harness h;
  h.Serve();
  Call lost = h.Do(st::kReplicated, "lost", "side-effect-unknown-service");
  CHECK_MESSAGE(lost.status.error_code() == grpc::StatusCode::INTERNAL, Describe(lost));
  CHECK(ReportsSince(h, 0) ==
        std::string("Service [") + st::kNowhere + "] unknown\n  side-effect of " + st::kReplicated + ".Do\n");
  CHECK(h.Do(st::kReplicated, "lost", "ok").response.command_id() == 2);
  CHECK(h.function.Streams("lost").size() == 1);
}
