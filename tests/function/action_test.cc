// ActionProtocol in its four shapes, as a proxy calls it; cases after the TCK's action model.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "protocol_client.h"
#include "steps.h"
#include "test_function.h"

namespace fntest_support {
namespace {

const char kActions[] = "fntest.Actions";

ac::ActionCommand Cmd(const std::string& name, const fntest::ActionRequest& request) {
  ac::ActionCommand command;
  command.set_service_name(kActions);
  command.set_name(name);
  *command.mutable_payload() = Pack(request);
  return command;
}

ac::ActionCommand Head(const std::string& name) {
  ac::ActionCommand command;
  command.set_service_name(kActions);
  command.set_name(name);
  return command;
}

ac::ActionCommand Msg(const fntest::ActionRequest& request) {
  ac::ActionCommand command;
  *command.mutable_payload() = Pack(request);
  command.mutable_metadata();  // present but empty, as the reference proxy sends later messages
  return command;
}

// A compact picture of a response: "reply:x", "forward:x", "failure:x" or "none", then the side
// effects as " se:id" / " se!:id".
std::string Describe(const ac::ActionResponse& response) {
  std::string text;
  if (response.has_reply()) {
    CHECK(response.reply().payload().type_url() == "type.googleapis.com/fntest.Response");
    fntest::Response message;
    CHECK(response.reply().payload().UnpackTo(&message));
    text = "reply:" + message.message();
  } else if (response.has_forward()) {
    fntest::Request target;
    CHECK(response.forward().payload().UnpackTo(&target));
    CHECK(response.forward().service_name() == "fntest.Two");
    CHECK(response.forward().command_name() == "Call");
    text = "forward:" + target.id();
  } else if (response.has_failure()) {
    CHECK(response.failure().command_id() == 0);
    CHECK_FALSE(response.failure().restart());
    text = "failure:" + response.failure().description();
  } else {
    text = "none";
  }
  for (const auto& effect : response.side_effects()) {
    fntest::Request target;
    CHECK(effect.payload().UnpackTo(&target));
    text += (effect.synchronous() ? " se!:" : " se:") + target.id();
  }
  return text;
}

using Responses = std::vector<std::string>;

std::string Unary(ac::ActionProtocol::Stub& stub, const ac::ActionCommand& command) {
  grpc::ClientContext context;
  SetDeadline(context);
  ac::ActionResponse response;
  grpc::Status status = stub.handleUnary(&context, command, &response);
  REQUIRE_MESSAGE(status.ok(), status.error_message());
  return Describe(response);
}

std::string StreamedIn(ac::ActionProtocol::Stub& stub, const std::vector<ac::ActionCommand>& commands) {
  grpc::ClientContext context;
  SetDeadline(context);
  ac::ActionResponse response;
  auto writer = stub.handleStreamedIn(&context, &response);
  for (const auto& command : commands) {
    if (!writer->Write(command)) break;
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  REQUIRE_MESSAGE(status.ok(), status.error_message());
  return Describe(response);
}

Responses StreamedOut(ac::ActionProtocol::Stub& stub, const ac::ActionCommand& command) {
  grpc::ClientContext context;
  SetDeadline(context);
  auto reader = stub.handleStreamedOut(&context, command);
  Responses responses;
  ac::ActionResponse response;
  while (reader->Read(&response)) responses.push_back(Describe(response));
  grpc::Status status = reader->Finish();
  REQUIRE_MESSAGE(status.ok(), status.error_message());
  return responses;
}

TEST_CASE("unary: reply, no reply, forward and failure, each with side effects") {
  auto function = StartTestFunction();
  auto stub = ac::ActionProtocol::NewStub(Connect(function->port()));
  CHECK(Unary(*stub, Cmd("Unary", ActionReq({Group({ReplyStep("one")})}))) == "reply:one");
  CHECK(Unary(*stub, Cmd("Unary", ActionReq({Group({ReplyStep("two"), Effect("other")})}))) == "reply:two se:other");
  CHECK(Unary(*stub, Cmd("Unary", ActionReq({Group({ReplyStep("four"), Effect("a"), Effect("b", true), Effect("c")})}))) ==
        "reply:four se:a se!:b se:c");
  CHECK(Unary(*stub, Cmd("Unary", ActionReq({Group({})}))) == "none");
  CHECK(Unary(*stub, Cmd("Unary", ActionReq({Group({Effect("another", true)})}))) == "none se!:another");
  CHECK(Unary(*stub, Cmd("Unary", ActionReq({Group({Forward("one"), Effect("other")})}))) == "forward:one se:other");
  CHECK(Unary(*stub, Cmd("Unary", ActionReq({Group({Fail("two"), Effect("other")})}))) == "failure:two se:other");
}

TEST_CASE("unary: the action sees the call's metadata") {
  auto function = StartTestFunction();
  auto stub = ac::ActionProtocol::NewStub(Connect(function->port()));
  ac::ActionCommand command = Cmd("Unary", ActionReq({Group({ReplyStep("@call-metadata")})}));
  auto* entry = command.mutable_metadata()->add_entries();
  entry->set_key("x-user");
  entry->set_string_value("alice");
  CHECK(Unary(*stub, command) == "reply:x-user=alice;");
}

TEST_CASE("unary: a handler that throws fails the call with the reason") {
  auto function = StartTestFunction();
  auto stub = ac::ActionProtocol::NewStub(Connect(function->port()));
  std::string answer = Unary(*stub, Cmd("Unary", ActionReq({Group({Effect("lost"), Crash("boom")})})));
  CHECK(answer.rfind("failure:", 0) == 0);
  CHECK(answer.find("boom") != std::string::npos);
  CHECK(answer.find("se:") == std::string::npos);
}

TEST_CASE("streamed-in: one response folded from every message, after the caller finishes") {
  auto function = StartTestFunction();
  auto stub = ac::ActionProtocol::NewStub(Connect(function->port()));
  CHECK(StreamedIn(*stub, {Head("StreamedIn")}) == "none");
  CHECK(StreamedIn(*stub, {Head("StreamedIn"), Msg(ActionReq({Group({ReplyStep("one")})}))}) == "reply:one");
  CHECK(StreamedIn(*stub, {Head("StreamedIn"), Msg(ActionReq({Group({ReplyStep("two"), Effect("a")})})),
                           Msg(ActionReq({Group({Effect("b", true)})})),
                           Msg(ActionReq({Group({Effect("c"), Effect("d")})}))}) == "reply:two se:a se!:b se:c se:d");
  CHECK(StreamedIn(*stub, {Head("StreamedIn"), Msg(ActionReq({Group({Fail("two"), Effect("a")})})),
                           Msg(ActionReq({Group({Effect("b", true)})}))}) == "failure:two se:a se!:b");
  CHECK(StreamedIn(*stub, {Head("StreamedIn"), Msg(ActionReq({Group({Forward("one")})}))}) == "forward:one");
}

TEST_CASE("streamed-out: one response per group, failures included, then completion") {
  auto function = StartTestFunction();
  auto stub = ac::ActionProtocol::NewStub(Connect(function->port()));
  CHECK(StreamedOut(*stub, Cmd("StreamedOut", ActionReq({Group({ReplyStep("one")}),
                                                         Group({ReplyStep("two"), Effect("other")}),
                                                         Group({ReplyStep("three"), Effect("another", true)})}))) ==
        Responses{"reply:one", "reply:two se:other", "reply:three se!:another"});
  CHECK(StreamedOut(*stub, Cmd("StreamedOut", ActionReq({Group({}), Group({Effect("other")})}))) ==
        Responses{"none", "none se:other"});
  CHECK(StreamedOut(*stub, Cmd("StreamedOut", ActionReq({Group({Fail("one")}), Group({Fail("two"), Effect("x")}),
                                                         Group({Forward("f")})}))) ==
        Responses{"failure:one", "failure:two se:x", "forward:f"});
  CHECK(StreamedOut(*stub, Cmd("StreamedOut", ActionReq({}))).empty());
}

TEST_CASE("duplex: responses for each message as it comes, completion after the caller finishes") {
  auto function = StartTestFunction();
  auto stub = ac::ActionProtocol::NewStub(Connect(function->port()));
  grpc::ClientContext context;
  SetDeadline(context);
  auto stream = stub->handleStreamed(&context);
  REQUIRE(stream->Write(Head("Streamed")));
  ac::ActionResponse response;

  REQUIRE(stream->Write(Msg(ActionReq({Group({ReplyStep("one")})}))));
  REQUIRE(stream->Read(&response));
  CHECK(Describe(response) == "reply:one");

  REQUIRE(stream->Write(Msg(ActionReq({Group({ReplyStep("five")}), Group({ReplyStep("six"), Effect("other")})}))));
  REQUIRE(stream->Read(&response));
  CHECK(Describe(response) == "reply:five");
  REQUIRE(stream->Read(&response));
  CHECK(Describe(response) == "reply:six se:other");

  REQUIRE(stream->Write(Msg(ActionReq({Group({}), Group({Effect("other")})}))));
  REQUIRE(stream->Read(&response));
  CHECK(Describe(response) == "none");
  REQUIRE(stream->Read(&response));
  CHECK(Describe(response) == "none se:other");

  REQUIRE(stream->Write(Msg(ActionReq({Group({Fail("x")}), Group({Forward("y")})}))));
  REQUIRE(stream->Read(&response));
  CHECK(Describe(response) == "failure:x");
  REQUIRE(stream->Read(&response));
  CHECK(Describe(response) == "forward:y");

  stream->WritesDone();
  CHECK_FALSE(stream->Read(&response));
  CHECK(stream->Finish().ok());
}

TEST_CASE("duplex: a handler that throws ends the call with a failure") {
  auto function = StartTestFunction();
  auto stub = ac::ActionProtocol::NewStub(Connect(function->port()));
  grpc::ClientContext context;
  SetDeadline(context);
  auto stream = stub->handleStreamed(&context);
  REQUIRE(stream->Write(Head("Streamed")));
  REQUIRE(stream->Write(Msg(ActionReq({Group({ReplyStep("ok")}), Group({Crash("boom")})}))));
  ac::ActionResponse response;
  REQUIRE(stream->Read(&response));
  std::string answer = Describe(response);
  CHECK(answer.rfind("failure:", 0) == 0);
  CHECK(answer.find("boom") != std::string::npos);
  CHECK_FALSE(stream->Read(&response));
  CHECK(stream->Finish().ok());
}

TEST_CASE("an action that implements no shape fails each call once, clearly") {
  auto function = StartTestFunction();
  auto stub = ac::ActionProtocol::NewStub(Connect(function->port()));
  ac::ActionCommand unary = Cmd("Unary", ActionReq({}));
  unary.set_service_name("fntest.Unimplemented");
  CHECK(Unary(*stub, unary) == "failure:fntest.Unimplemented.Unary: this action does not handle unary calls");

  ac::ActionCommand out = Cmd("Out", ActionReq({}));
  out.set_service_name("fntest.Unimplemented");
  CHECK(StreamedOut(*stub, out) ==
        Responses{"failure:fntest.Unimplemented.Out: this action does not handle streamed-out calls"});

  // The first Fail of a client-streaming call answers it at once.
  ac::ActionCommand head = Head("In");
  head.set_service_name("fntest.Unimplemented");
  CHECK(StreamedIn(*stub, {head, Msg(ActionReq({})), Msg(ActionReq({})), Msg(ActionReq({}))}) ==
        "failure:fntest.Unimplemented.In: this action does not handle streamed calls");
}

}  // namespace
}  // namespace fntest_support
