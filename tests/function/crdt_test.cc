// Crdt.handle as a proxy drives it: init with or without state, commands on every CRDT type with
// their update deltas and write consistency, streamed commands fed by the entity's own changes and
// by the proxy's deltas, cancellation, and delete either way.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "cloudstate/crdt.grpc.pb.h"
#include "crdt_function.h"
#include "fncrdt.pb.h"
#include "protocol_client.h"

namespace fntest_support {
namespace {

namespace pb = ::cloudstate::crdt;
using CrdtStream = EntityStream<pb::Crdt, pb::CrdtStreamIn, pb::CrdtStreamOut>;

const char kService[] = "fncrdt.CrdtModel";

pb::CrdtStreamIn Init(const std::string& entity_id, const pb::CrdtDelta* state = nullptr) {
  pb::CrdtStreamIn in;
  in.mutable_init()->set_service_name(kService);
  in.mutable_init()->set_entity_id(entity_id);
  if (state != nullptr) *in.mutable_init()->mutable_delta() = *state;
  return in;
}

pb::CrdtStreamIn Command(const std::string& entity_id, int64_t id, const std::string& op, const std::string& arg = "",
                         bool watch = false, const std::string& end_at = "") {
  fncrdt::Request request;
  request.set_id(entity_id);
  request.set_op(op);
  request.set_arg(arg);
  request.set_end_at(end_at);
  pb::CrdtStreamIn in;
  ::cloudstate::Command* command = in.mutable_command();
  command->set_entity_id(entity_id);
  command->set_id(id);
  command->set_name(watch ? "Watch" : "Apply");
  *command->mutable_payload() = Pack(request);
  command->set_streamed(watch);
  return in;
}

std::string TextOf(const ::cloudstate::ClientAction& action) {
  REQUIRE_MESSAGE(action.has_reply(), action.DebugString());
  CHECK(action.reply().payload().type_url() == "type.googleapis.com/fncrdt.State");
  fncrdt::State state;
  REQUIRE(action.reply().payload().UnpackTo(&state));
  return state.text();
}

pb::CrdtReply ReplyOf(const std::optional<pb::CrdtStreamOut>& out, int64_t command_id) {
  REQUIRE(out.has_value());
  REQUIRE_MESSAGE(out->has_reply(), out->DebugString());
  CHECK(out->reply().command_id() == command_id);
  return out->reply();
}

pb::CrdtStreamedMessage StreamedOf(const std::optional<pb::CrdtStreamOut>& out, int64_t command_id) {
  REQUIRE(out.has_value());
  REQUIRE_MESSAGE(out->has_streamed_message(), out->DebugString());
  CHECK(out->streamed_message().command_id() == command_id);
  return out->streamed_message();
}

struct TypeCase {
  std::string entity_id;
  std::string op;
  std::string arg;
  std::string text;  // after the command
  pb::CrdtDelta::DeltaCase delta;
};

TEST_CASE("discovery reports CRDT entities") {
  auto function = StartCrdtFunction();
  REQUIRE(function->port() != 0);
  ::cloudstate::EntitySpec spec = Discover(Connect(function->port()));
  REQUIRE(spec.entities_size() == 1);
  CHECK(spec.entities(0).entity_type() == "cloudstate.crdt.Crdt");
  CHECK(spec.entities(0).service_name() == kService);
  CHECK(spec.entities(0).persistence_id() == "crdt-model");
}

TEST_CASE("every CRDT type: a command's change comes back as an update; its state survives as init") {
  auto function = StartCrdtFunction();
  const TypeCase cases[] = {
      {"gcounter-1", "inc", "5", "5", pb::CrdtDelta::kGcounter},
      {"pncounter-1", "dec", "3", "-3", pb::CrdtDelta::kPncounter},
      {"gset-1", "add", "a", "a", pb::CrdtDelta::kGset},
      {"orset-1", "add", "b", "b", pb::CrdtDelta::kOrset},
      {"lww-1", "set", "c", "c", pb::CrdtDelta::kLwwregister},
      {"flag-1", "enable", "", "true", pb::CrdtDelta::kFlag},
      {"ormap-1", "put", "k", "k=1", pb::CrdtDelta::kOrmap},
      {"vote-1", "vote", "", "yes 1/1", pb::CrdtDelta::kVote},
  };
  for (const TypeCase& c : cases) {
    CAPTURE(c.entity_id);
    CrdtStream stream(Connect(function->port()));
    REQUIRE(stream.Send(Init(c.entity_id)));
    pb::CrdtReply empty = ReplyOf(stream.Exchange(Command(c.entity_id, 1, "get")), 1);
    CHECK(TextOf(empty.client_action()) == "");
    CHECK_FALSE(empty.has_state_action());
    pb::CrdtReply changed = ReplyOf(stream.Exchange(Command(c.entity_id, 2, c.op, c.arg)), 2);
    CHECK(TextOf(changed.client_action()) == c.text);
    REQUIRE(changed.state_action().has_update());
    CHECK(changed.state_action().update().delta_case() == c.delta);
    CHECK(changed.state_action().write_consistency() == pb::LOCAL);
    CHECK(stream.Close().ok());

    // A vote's own vote is the node's business; the proxy reports the tally.
    pb::CrdtDelta state = changed.state_action().update();
    if (state.has_vote()) state.mutable_vote()->set_votes_for(1), state.mutable_vote()->set_total_voters(1);
    CrdtStream again(Connect(function->port()));
    REQUIRE(again.Send(Init(c.entity_id, &state)));
    CHECK(TextOf(ReplyOf(again.Exchange(Command(c.entity_id, 1, "get")), 1).client_action()) == c.text);
    CHECK(again.Close().ok());
  }
}

TEST_CASE("write consistency and failures") {
  auto function = StartCrdtFunction();
  CrdtStream stream(Connect(function->port()));
  REQUIRE(stream.Send(Init("gcounter-w")));
  pb::CrdtStreamIn majority = Command("gcounter-w", 1, "inc", "2");
  fncrdt::Request request;
  REQUIRE(majority.command().payload().UnpackTo(&request));
  request.set_consistency("majority");
  *majority.mutable_command()->mutable_payload() = Pack(request);
  pb::CrdtReply reply = ReplyOf(stream.Exchange(majority), 1);
  CHECK(reply.state_action().write_consistency() == pb::MAJORITY);
  CHECK(reply.state_action().update().gcounter().increment() == 2);

  pb::CrdtReply failed = ReplyOf(stream.Exchange(Command("gcounter-w", 2, "fail")), 2);
  CHECK_MESSAGE(failed.client_action().failure().description().find("asked to fail") != std::string::npos,
                failed.DebugString());
  CHECK_FALSE(failed.has_state_action());
  CHECK(stream.Close().ok());
}

TEST_CASE("streamed command: changes from commands and from the proxy reach it until it ends") {
  auto function = StartCrdtFunction();
  CrdtStream stream(Connect(function->port()));
  REQUIRE(stream.Send(Init("pncounter-s")));
  pb::CrdtReply watch = ReplyOf(stream.Exchange(Command("pncounter-s", 1, "get", "", true, "10")), 1);
  CHECK(watch.streamed());
  CHECK(TextOf(watch.client_action()) == "");

  // The entity's own change: the reply, then the watcher's message.
  pb::CrdtReply inc = ReplyOf(stream.Exchange(Command("pncounter-s", 2, "inc", "4")), 2);
  CHECK(TextOf(inc.client_action()) == "4");
  pb::CrdtStreamedMessage first = StreamedOf(stream.Receive(), 1);
  CHECK(TextOf(first.client_action()) == "4");
  CHECK_FALSE(first.end_stream());

  // A change made elsewhere.
  pb::CrdtStreamIn delta;
  delta.mutable_delta()->mutable_pncounter()->set_change(6);
  pb::CrdtStreamedMessage last = StreamedOf(stream.Exchange(delta), 1);
  CHECK(TextOf(last.client_action()) == "10");
  CHECK(last.end_stream());

  // The ended stream hears nothing more.
  CHECK_FALSE(ReplyOf(stream.Exchange(Command("pncounter-s", 3, "inc", "1")), 3).streamed());
  CHECK(stream.Close().ok());
}

TEST_CASE("cancelled stream: the cancel callback's change and side effect come back") {
  auto function = StartCrdtFunction();
  CrdtStream stream(Connect(function->port()));
  REQUIRE(stream.Send(Init("vote-c")));
  REQUIRE(ReplyOf(stream.Exchange(Command("vote-c", 1, "vote")), 1).state_action().has_update());
  pb::CrdtReply watch = ReplyOf(stream.Exchange(Command("vote-c", 2, "get", "", true)), 2);
  CHECK(watch.streamed());
  CHECK(TextOf(watch.client_action()) == "yes 1/1");

  pb::CrdtStreamIn cancel;
  cancel.mutable_stream_cancelled()->set_entity_id("vote-c");
  cancel.mutable_stream_cancelled()->set_id(2);
  std::optional<pb::CrdtStreamOut> out = stream.Exchange(cancel);
  REQUIRE(out.has_value());
  REQUIRE_MESSAGE(out->has_stream_cancelled_response(), out->DebugString());
  const pb::CrdtStreamCancelledResponse& response = out->stream_cancelled_response();
  CHECK(response.command_id() == 2);
  REQUIRE(response.side_effects_size() == 1);
  CHECK(response.side_effects(0).service_name() == kService);
  CHECK(response.side_effects(0).command_name() == "Apply");
  REQUIRE(response.state_action().has_update());
  CHECK_FALSE(response.state_action().update().vote().self_vote());
  CHECK(stream.Close().ok());
}

TEST_CASE("delete: by the entity, and by the proxy") {
  auto function = StartCrdtFunction();
  {
    CrdtStream stream(Connect(function->port()));
    pb::CrdtDelta state;
    state.mutable_orset()->add_added()->CopyFrom(Pack([] { fncrdt::Item item; item.set_name("x"); return item; }()));
    REQUIRE(stream.Send(Init("orset-d", &state)));
    REQUIRE(ReplyOf(stream.Exchange(Command("orset-d", 1, "get", "", true)), 1).streamed());
    pb::CrdtReply deleted = ReplyOf(stream.Exchange(Command("orset-d", 2, "delete")), 2);
    CHECK(deleted.state_action().has_delete_());
    CHECK(TextOf(deleted.client_action()) == "");
    CHECK(stream.Close().ok());
  }
  {
    CrdtStream stream(Connect(function->port()));
    REQUIRE(stream.Send(Init("flag-d")));
    REQUIRE(ReplyOf(stream.Exchange(Command("flag-d", 1, "get", "", true)), 1).streamed());
    pb::CrdtStreamIn del;
    del.mutable_delete_();
    REQUIRE(stream.Send(del));
    // The proxy completes the stream after delete; the function says nothing more.
    CHECK(stream.Close().ok());
  }
}

TEST_CASE("grammar: a command before init fails the stream") {
  auto function = StartCrdtFunction();
  CrdtStream stream(Connect(function->port()));
  std::optional<pb::CrdtStreamOut> out = stream.Exchange(Command("gcounter-g", 1, "get"));
  REQUIRE(out.has_value());
  CHECK(out->has_failure());
  CHECK_FALSE(stream.Finish().ok());
}

}  // namespace
}  // namespace fntest_support
