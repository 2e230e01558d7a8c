// EventSourced.handle as a proxy drives it: init (with snapshot), replayed events, then commands
// whose replies carry events, snapshots, side effects and the client action.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "protocol_client.h"
#include "steps.h"
#include "test_function.h"

namespace fntest_support {
namespace {

const char kModel[] = "fntest.Model";
const char kResponseUrl[] = "type.googleapis.com/fntest.Response";
const char kPersistedUrl[] = "type.googleapis.com/fntest.Persisted";

es::EventSourcedReply ReplyOf(const std::optional<es::EventSourcedStreamOut>& out, int64_t command_id) {
  REQUIRE(out.has_value());
  REQUIRE_MESSAGE(out->has_reply(), out->DebugString());
  CHECK(out->reply().command_id() == command_id);
  return out->reply();
}

// The reply's message; the payload must carry the rpc output type's URL.
std::string MessageOf(const es::EventSourcedReply& reply) {
  REQUIRE_MESSAGE(reply.client_action().has_reply(), reply.DebugString());
  CHECK(reply.client_action().reply().payload().type_url() == kResponseUrl);
  fntest::Response response;
  REQUIRE(reply.client_action().reply().payload().UnpackTo(&response));
  return response.message();
}

std::string Value(const google::protobuf::Any& any) {
  CHECK(any.type_url() == kPersistedUrl);
  fntest::Persisted persisted;
  REQUIRE(any.UnpackTo(&persisted));
  return persisted.value();
}

std::vector<std::string> EventsOf(const es::EventSourcedReply& reply) {
  std::vector<std::string> values;
  for (const auto& event : reply.events()) values.push_back(Value(event));
  return values;
}

std::optional<std::string> SnapshotOf(const es::EventSourcedReply& reply) {
  if (!reply.has_snapshot()) return std::nullopt;
  return Value(reply.snapshot());
}

using Events = std::vector<std::string>;

TEST_CASE("a fresh entity answers a command with its state and no events") {
  auto function = StartTestFunction();
  EsStream stream(Connect(function->port()));
  REQUIRE(stream.Send(EsInit(kModel, "e1")));
  es::EventSourcedReply reply = ReplyOf(stream.Exchange(EsCommand("e1", 1, "Process", Req("e1"))), 1);
  CHECK(MessageOf(reply) == "");
  CHECK(reply.events_size() == 0);
  CHECK_FALSE(reply.has_snapshot());
  CHECK(reply.side_effects_size() == 0);
  CHECK_FALSE(reply.client_action().reply().has_metadata());
  CHECK(stream.Close().ok());
}

TEST_CASE("init with a snapshot and replayed events restores the state") {
  auto function = StartTestFunction();
  EsStream stream(Connect(function->port()));
  REQUIRE(stream.Send(EsInit(kModel, "e1", 5, Persisted("ABCDE"))));
  REQUIRE(stream.Send(EsEvent(6, Persisted("F"))));
  REQUIRE(stream.Send(EsEvent(7, Persisted("G"))));
  CHECK(MessageOf(ReplyOf(stream.Exchange(EsCommand("e1", 1, "Process", Req("e1"))), 1)) == "ABCDEFG");
  CHECK(stream.Close().ok());
}

TEST_CASE("replies carry the emitted events, and a snapshot whenever a multiple of 5 is crossed") {
  auto function = StartTestFunction();
  EsStream stream(Connect(function->port()));
  REQUIRE(stream.Send(EsInit(kModel, "e1")));
  std::string state;
  int64_t id = 0;
  auto next = [&](const fntest::Request& request) {
    ++id;
    return ReplyOf(stream.Exchange(EsCommand("e1", id, "Process", request)), id);
  };
  for (const char* value : {"A", "B", "C", "D"}) {
    es::EventSourcedReply reply = next(Req("e1", {Emit(value)}));
    state += value;
    CHECK(MessageOf(reply) == state);
    CHECK(EventsOf(reply) == Events{value});
    CHECK_FALSE(reply.has_snapshot());
  }
  es::EventSourcedReply fifth = next(Req("e1", {Emit("E")}));
  CHECK(EventsOf(fifth) == Events{"E"});
  CHECK(SnapshotOf(fifth) == "ABCDE");

  es::EventSourcedReply three =
      next(Req("e1", {Emit("F"), Emit("G"), Emit("H")}));
  CHECK(EventsOf(three) == Events{"F", "G", "H"});
  CHECK_FALSE(three.has_snapshot());
  // Events 9 and 10: the snapshot is the state after both.
  es::EventSourcedReply two = next(Req("e1", {Emit("I"), Emit("J")}));
  CHECK(MessageOf(two) == "ABCDEFGHIJ");
  CHECK(SnapshotOf(two) == "ABCDEFGHIJ");
  es::EventSourcedReply none = next(Req("e1"));
  CHECK(none.events_size() == 0);
  CHECK_FALSE(none.has_snapshot());
  CHECK(stream.Close().ok());
}

TEST_CASE("the snapshot count continues from the init snapshot and replayed events") {
  auto function = StartTestFunction();
  EsStream stream(Connect(function->port()));
  REQUIRE(stream.Send(EsInit(kModel, "e1", 3, Persisted("abc"))));
  REQUIRE(stream.Send(EsEvent(4, Persisted("d"))));
  es::EventSourcedReply reply = ReplyOf(stream.Exchange(EsCommand("e1", 1, "Process", Req("e1", {Emit("X")}))), 1);
  CHECK(SnapshotOf(reply) == "abcdX");
  CHECK(stream.Close().ok());
}

TEST_CASE("a forward replaces the reply and keeps events, snapshot and side effects") {
  auto function = StartTestFunction();
  EsStream stream(Connect(function->port()));
  REQUIRE(stream.Send(EsInit(kModel, "e1")));
  ReplyOf(stream.Exchange(EsCommand("e1", 1, "Process", Req("e1", {Emit("A"), Emit("B"), Emit("C")}))), 1);
  es::EventSourcedReply reply = ReplyOf(
      stream.Exchange(EsCommand("e1", 2, "Process", Req("e1", {Emit("D"), Effect("x", true), Emit("E"), Forward("e1")}))),
      2);
  REQUIRE(reply.client_action().has_forward());
  const ::cloudstate::Forward& forward = reply.client_action().forward();
  CHECK(forward.service_name() == "fntest.Two");
  CHECK(forward.command_name() == "Call");
  CHECK(forward.payload().type_url() == "type.googleapis.com/fntest.Request");
  fntest::Request payload;
  REQUIRE(forward.payload().UnpackTo(&payload));
  CHECK(payload.id() == "e1");
  CHECK_FALSE(forward.has_metadata());
  CHECK(EventsOf(reply) == Events{"D", "E"});
  CHECK(SnapshotOf(reply) == "ABCDE");
  REQUIRE(reply.side_effects_size() == 1);
  CHECK(reply.side_effects(0).service_name() == "fntest.Two");
  CHECK(reply.side_effects(0).command_name() == "Call");
  CHECK(reply.side_effects(0).synchronous());
  CHECK_FALSE(reply.side_effects(0).has_metadata());
  CHECK(stream.Close().ok());
}

TEST_CASE("side effects keep their order and synchronous flags") {
  auto function = StartTestFunction();
  EsStream stream(Connect(function->port()));
  REQUIRE(stream.Send(EsInit(kModel, "e1")));
  es::EventSourcedReply reply = ReplyOf(
      stream.Exchange(EsCommand("e1", 1, "Process", Req("e1", {Effect("1"), Effect("2", true), Effect("3")}))), 1);
  CHECK(MessageOf(reply) == "");
  REQUIRE(reply.side_effects_size() == 3);
  for (int i = 0; i < 3; ++i) {
    fntest::Request target;
    REQUIRE(reply.side_effects(i).payload().UnpackTo(&target));
    CHECK(target.id() == std::to_string(i + 1));
    CHECK(reply.side_effects(i).synchronous() == (i == 1));
  }
  CHECK(stream.Close().ok());
}

TEST_CASE("a failure carries only the failure, and the entity goes on") {
  auto function = StartTestFunction();
  EsStream stream(Connect(function->port()));
  REQUIRE(stream.Send(EsInit(kModel, "e1")));
  ReplyOf(stream.Exchange(EsCommand("e1", 1, "Process", Req("e1", {Emit("A")}))), 1);
  es::EventSourcedReply failed =
      ReplyOf(stream.Exchange(EsCommand("e1", 2, "Process", Req("e1", {Effect("x"), Fail("expected failure")}))), 2);
  REQUIRE(failed.client_action().has_failure());
  CHECK(failed.client_action().failure().command_id() == 2);
  CHECK(failed.client_action().failure().description() == "expected failure");
  CHECK_FALSE(failed.client_action().failure().restart());
  CHECK(failed.side_effects_size() == 0);
  CHECK(failed.events_size() == 0);
  CHECK(MessageOf(ReplyOf(stream.Exchange(EsCommand("e1", 3, "Process", Req("e1"))), 3)) == "A");
  CHECK(stream.Close().ok());
}

TEST_CASE("emitting then failing asks for a restart; the entity comes back from the journal") {
  auto function = StartTestFunction();
  auto channel = Connect(function->port());
  {
    EsStream stream(channel);
    REQUIRE(stream.Send(EsInit(kModel, "e1")));
    ReplyOf(stream.Exchange(EsCommand("e1", 1, "Process", Req("e1", {Emit("A"), Emit("B"), Emit("C")}))), 1);
    es::EventSourcedReply failed =
        ReplyOf(stream.Exchange(EsCommand("e1", 2, "Process", Req("e1", {Emit("4"), Emit("5"), Fail("failure 1")}))), 2);
    REQUIRE(failed.client_action().has_failure());
    CHECK(failed.client_action().failure().description() == "failure 1");
    CHECK(failed.client_action().failure().restart());
    CHECK(failed.events_size() == 0);
    CHECK_FALSE(failed.has_snapshot());
    CHECK(stream.Close().ok());  // the proxy closes; the function completes its side
  }
  EsStream stream(channel);
  REQUIRE(stream.Send(EsInit(kModel, "e1")));
  REQUIRE(stream.Send(EsEvent(1, Persisted("A"))));
  REQUIRE(stream.Send(EsEvent(2, Persisted("B"))));
  REQUIRE(stream.Send(EsEvent(3, Persisted("C"))));
  es::EventSourcedReply reply = ReplyOf(stream.Exchange(EsCommand("e1", 1, "Process", Req("e1", {Emit("D")}))), 1);
  CHECK(MessageOf(reply) == "ABCD");
  CHECK(stream.Close().ok());
}

TEST_CASE("a handler that throws gets a restart, with the reason, and nothing persisted") {
  auto function = StartTestFunction();
  EsStream stream(Connect(function->port()));
  REQUIRE(stream.Send(EsInit(kModel, "e1")));
  es::EventSourcedReply crashed =
      ReplyOf(stream.Exchange(EsCommand("e1", 1, "Process", Req("e1", {Emit("A"), Effect("x"), Crash("boom")}))), 1);
  REQUIRE(crashed.client_action().has_failure());
  CHECK(crashed.client_action().failure().restart());
  CHECK(crashed.client_action().failure().command_id() == 1);
  CHECK(crashed.client_action().failure().description().find("boom") != std::string::npos);
  CHECK(crashed.events_size() == 0);
  CHECK(crashed.side_effects_size() == 0);
  CHECK(function->Logged("boom"));

  // A proxy that sends more anyway is told the stream is done.
  std::optional<es::EventSourcedStreamOut> late = stream.Exchange(EsCommand("e1", 2, "Process", Req("e1")));
  REQUIRE(late.has_value());
  REQUIRE(late->has_failure());
  CHECK(late->failure().command_id() == 2);
  CHECK(late->failure().description().find("restart") != std::string::npos);
  CHECK(stream.Finish().error_code() == grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("replying twice is a broken result and restarts the entity") {
  auto function = StartTestFunction();
  EsStream stream(Connect(function->port()));
  REQUIRE(stream.Send(EsInit(kModel, "e1")));
  es::EventSourcedReply broken = ReplyOf(stream.Exchange(EsCommand("e1", 1, "Process", Req("e1", {ReplyTwice()}))), 1);
  REQUIRE(broken.client_action().has_failure());
  CHECK(broken.client_action().failure().restart());
  CHECK(broken.client_action().failure().description().find("Reply after Reply") != std::string::npos);
  CHECK(stream.Close().ok());
}

TEST_CASE("no reply from the handler gives the output type's empty message") {
  auto function = StartTestFunction();
  EsStream stream(Connect(function->port()));
  REQUIRE(stream.Send(EsInit(kModel, "e1")));
  es::EventSourcedReply reply = ReplyOf(stream.Exchange(EsCommand("e1", 1, "Process", Req("e1", {Emit("A"), NoReply()}))), 1);
  REQUIRE(reply.client_action().has_reply());
  CHECK(reply.client_action().reply().payload().type_url() == kResponseUrl);
  CHECK(reply.client_action().reply().payload().value().empty());
  CHECK(EventsOf(reply) == Events{"A"});
  CHECK(stream.Close().ok());
}

TEST_CASE("a forward to a method the target service lacks fails the command") {
  auto function = StartTestFunction();
  EsStream stream(Connect(function->port()));
  REQUIRE(stream.Send(EsInit(kModel, "e1")));
  es::EventSourcedReply reply =
      ReplyOf(stream.Exchange(EsCommand("e1", 1, "Process", Req("e1", {ForwardToMissingMethod("e1")}))), 1);
  REQUIRE(reply.client_action().has_failure());
  CHECK(reply.client_action().failure().description().find("Missing") != std::string::npos);
  CHECK_FALSE(reply.client_action().failure().restart());
  // With events emitted first, they are applied and must be undone: restart.
  es::EventSourcedReply emitted = ReplyOf(
      stream.Exchange(EsCommand("e1", 2, "Process", Req("e1", {Emit("A"), ForwardToMissingMethod("e1")}))), 2);
  REQUIRE(emitted.client_action().has_failure());
  CHECK(emitted.client_action().failure().restart());
  CHECK(emitted.events_size() == 0);
  CHECK(stream.Close().ok());
}

TEST_CASE("a command naming no method of the service fails that command only") {
  auto function = StartTestFunction();
  EsStream stream(Connect(function->port()));
  REQUIRE(stream.Send(EsInit(kModel, "e1")));
  ReplyOf(stream.Exchange(EsCommand("e1", 1, "Process", Req("e1", {Emit("A")}))), 1);
  es::EventSourcedReply unknown = ReplyOf(stream.Exchange(EsCommand("e1", 2, "Frobnicate", Req("e1"))), 2);
  REQUIRE(unknown.client_action().has_failure());
  CHECK(unknown.client_action().failure().command_id() == 2);
  CHECK(unknown.client_action().failure().description().find("Frobnicate") != std::string::npos);
  CHECK_FALSE(unknown.client_action().failure().restart());
  CHECK(MessageOf(ReplyOf(stream.Exchange(EsCommand("e1", 3, "Process", Req("e1"))), 3)) == "A");
  CHECK(stream.Close().ok());
}

TEST_CASE("many entity streams at once, each with its own state") {
  auto function = StartTestFunction();
  auto channel = Connect(function->port());
  std::vector<std::unique_ptr<EsStream>> streams;
  for (int i = 0; i < 64; ++i) {
    streams.push_back(std::make_unique<EsStream>(channel));
    REQUIRE(streams.back()->Send(EsInit(kModel, "e" + std::to_string(i))));
  }
  for (int round = 1; round <= 3; ++round) {
    for (int i = 0; i < 64; ++i) {
      std::string id = "e" + std::to_string(i);
      es::EventSourcedReply reply =
          ReplyOf(streams[i]->Exchange(EsCommand(id, round, "Process", Req(id, {Emit(std::to_string(i))}))), round);
      std::string expected;
      for (int k = 0; k < round; ++k) expected += std::to_string(i);
      CHECK(MessageOf(reply) == expected);
    }
  }
  for (auto& stream : streams) CHECK(stream->Close().ok());
}

}  // namespace
}  // namespace fntest_support
