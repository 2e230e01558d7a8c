// ValueEntity.handle as a proxy drives it: init with or without state, then commands whose replies
// carry update or delete state actions.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "protocol_client.h"
#include "steps.h"
#include "test_function.h"

namespace fntest_support {
namespace {

const char kValueModel[] = "fntest.ValueModel";

ve::ValueEntityReply ReplyOf(const std::optional<ve::ValueEntityStreamOut>& out, int64_t command_id) {
  REQUIRE(out.has_value());
  REQUIRE_MESSAGE(out->has_reply(), out->DebugString());
  CHECK(out->reply().command_id() == command_id);
  return out->reply();
}

std::string MessageOf(const ve::ValueEntityReply& reply) {
  REQUIRE_MESSAGE(reply.client_action().has_reply(), reply.DebugString());
  CHECK(reply.client_action().reply().payload().type_url() == "type.googleapis.com/fntest.Response");
  fntest::Response response;
  REQUIRE(reply.client_action().reply().payload().UnpackTo(&response));
  return response.message();
}

std::string UpdatedTo(const ve::ValueEntityReply& reply) {
  REQUIRE(reply.state_action().has_update());
  const google::protobuf::Any& value = reply.state_action().update().value();
  CHECK(value.type_url() == "type.googleapis.com/fntest.Persisted");
  fntest::Persisted persisted;
  REQUIRE(value.UnpackTo(&persisted));
  return persisted.value();
}

TEST_CASE("init without state: empty state, then an update") {
  auto function = StartTestFunction();
  VeStream stream(Connect(function->port()));
  REQUIRE(stream.Send(VeInit(kValueModel, "v1", nullptr)));
  ve::ValueEntityReply first = ReplyOf(stream.Exchange(VeCommand("v1", 1, "Process", Req("v1"))), 1);
  CHECK(MessageOf(first) == "");
  CHECK_FALSE(first.has_state_action());
  ve::ValueEntityReply updated = ReplyOf(stream.Exchange(VeCommand("v1", 2, "Process", Req("v1", {Update("one")}))), 2);
  CHECK(MessageOf(updated) == "one");
  CHECK(UpdatedTo(updated) == "one");
  // Only the last state action counts.
  ve::ValueEntityReply twice =
      ReplyOf(stream.Exchange(VeCommand("v1", 3, "Process", Req("v1", {Update("two"), Update("three")}))), 3);
  CHECK(UpdatedTo(twice) == "three");
  CHECK(stream.Close().ok());
}

TEST_CASE("init with state: the state is current; delete empties it") {
  auto function = StartTestFunction();
  VeStream stream(Connect(function->port()));
  fntest::Persisted stored = Persisted("stored");
  REQUIRE(stream.Send(VeInit(kValueModel, "v1", &stored)));
  CHECK(MessageOf(ReplyOf(stream.Exchange(VeCommand("v1", 1, "Process", Req("v1"))), 1)) == "stored");
  ve::ValueEntityReply deleted = ReplyOf(stream.Exchange(VeCommand("v1", 2, "Process", Req("v1", {Delete()}))), 2);
  CHECK(deleted.state_action().has_delete_());
  CHECK(MessageOf(deleted) == "");
  ve::ValueEntityReply after = ReplyOf(stream.Exchange(VeCommand("v1", 3, "Process", Req("v1"))), 3);
  CHECK(MessageOf(after) == "");
  CHECK_FALSE(after.has_state_action());
  // Update after delete in one command is an update.
  ve::ValueEntityReply back =
      ReplyOf(stream.Exchange(VeCommand("v1", 4, "Process", Req("v1", {Delete(), Update("back")}))), 4);
  CHECK(UpdatedTo(back) == "back");
  CHECK(stream.Close().ok());
}

TEST_CASE("a failure carries no state action and leaves the state alone") {
  auto function = StartTestFunction();
  VeStream stream(Connect(function->port()));
  REQUIRE(stream.Send(VeInit(kValueModel, "v1", nullptr)));
  ReplyOf(stream.Exchange(VeCommand("v1", 1, "Process", Req("v1", {Update("kept")}))), 1);
  ve::ValueEntityReply failed =
      ReplyOf(stream.Exchange(VeCommand("v1", 2, "Process", Req("v1", {Update("lost"), Effect("x"), Fail("no")}))), 2);
  REQUIRE(failed.client_action().has_failure());
  CHECK(failed.client_action().failure().description() == "no");
  CHECK(failed.client_action().failure().command_id() == 2);
  CHECK_FALSE(failed.client_action().failure().restart());
  CHECK_FALSE(failed.has_state_action());
  CHECK(failed.side_effects_size() == 0);
  CHECK(MessageOf(ReplyOf(stream.Exchange(VeCommand("v1", 3, "Process", Req("v1"))), 3)) == "kept");
  CHECK(stream.Close().ok());
}

TEST_CASE("a handler that throws fails the command and gets a fresh handler on the same state") {
  auto function = StartTestFunction();
  VeStream stream(Connect(function->port()));
  REQUIRE(stream.Send(VeInit(kValueModel, "v1", nullptr)));
  ReplyOf(stream.Exchange(VeCommand("v1", 1, "Process", Req("v1", {Update("kept")}))), 1);
  int handlers = function->ValueHandlersCreated();
  ve::ValueEntityReply crashed =
      ReplyOf(stream.Exchange(VeCommand("v1", 2, "Process", Req("v1", {Update("lost"), Crash("boom")}))), 2);
  REQUIRE(crashed.client_action().has_failure());
  CHECK(crashed.client_action().failure().description().find("boom") != std::string::npos);
  CHECK(crashed.client_action().failure().restart());
  CHECK_FALSE(crashed.has_state_action());
  CHECK(function->ValueHandlersCreated() == handlers + 1);
  CHECK(MessageOf(ReplyOf(stream.Exchange(VeCommand("v1", 3, "Process", Req("v1"))), 3)) == "kept");
  CHECK(stream.Close().ok());
}

TEST_CASE("forwards and side effects of a value entity") {
  auto function = StartTestFunction();
  VeStream stream(Connect(function->port()));
  REQUIRE(stream.Send(VeInit(kValueModel, "v1", nullptr)));
  ve::ValueEntityReply reply = ReplyOf(
      stream.Exchange(VeCommand("v1", 1, "Process", Req("v1", {Update("u"), Effect("a", true), Forward("t")}))), 1);
  REQUIRE(reply.client_action().has_forward());
  CHECK(reply.client_action().forward().service_name() == "fntest.Two");
  CHECK(reply.client_action().forward().command_name() == "Call");
  REQUIRE(reply.side_effects_size() == 1);
  CHECK(reply.side_effects(0).synchronous());
  CHECK(UpdatedTo(reply) == "u");
  CHECK(stream.Close().ok());
}

}  // namespace
}  // namespace fntest_support
