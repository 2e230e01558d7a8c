// A caller that breaks the protocol gets a clear failure naming what it did, and the stream ends;
// nothing else on the server is disturbed.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "protocol_client.h"
#include "steps.h"
#include "test_function.h"

namespace fntest_support {
namespace {

// The stream's protocol failure: `fragment` in its description, then the end of the stream with an
// error status.
template <typename Stream, typename Out>
void ExpectStreamFailure(Stream& stream, const std::optional<Out>& out, int64_t command_id, const std::string& fragment,
                         grpc::StatusCode code) {
  REQUIRE(out.has_value());
  REQUIRE_MESSAGE(out->has_failure(), out->DebugString());
  CHECK(out->failure().command_id() == command_id);
  CHECK_MESSAGE(out->failure().description().find(fragment) != std::string::npos, out->failure().description());
  grpc::Status status = stream.Finish();
  CHECK(status.error_code() == code);
  CHECK(status.error_message() == out->failure().description());
}

TEST_CASE("event-sourced: a command before init") {
  auto function = StartTestFunction();
  EsStream stream(Connect(function->port()));
  ExpectStreamFailure(stream, stream.Exchange(EsCommand("e1", 1, "Process", Req("e1"))), 1, "must start with init",
                      grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("event-sourced: an event before init") {
  auto function = StartTestFunction();
  EsStream stream(Connect(function->port()));
  ExpectStreamFailure(stream, stream.Exchange(EsEvent(1, Persisted("A"))), 0, "must start with init",
                      grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("event-sourced: a second init") {
  auto function = StartTestFunction();
  EsStream stream(Connect(function->port()));
  REQUIRE(stream.Send(EsInit("fntest.Model", "e1")));
  ExpectStreamFailure(stream, stream.Exchange(EsInit("fntest.Model", "e1")), 0, "second init",
                      grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("event-sourced: init for a service that is not served") {
  auto function = StartTestFunction();
  EsStream stream(Connect(function->port()));
  std::optional<es::EventSourcedStreamOut> out = stream.Exchange(EsInit("fntest.Nope", "e1"));
  REQUIRE(out.has_value());
  CHECK(out->failure().description().find("fntest.Model (event-sourced entity)") != std::string::npos);
  ExpectStreamFailure(stream, out, 0, "\"fntest.Nope\" is not served", grpc::StatusCode::NOT_FOUND);
}

TEST_CASE("event-sourced: init for a value entity's service") {
  auto function = StartTestFunction();
  EsStream stream(Connect(function->port()));
  ExpectStreamFailure(stream, stream.Exchange(EsInit("fntest.ValueModel", "e1")), 0,
                      "served as a value entity, not as an event-sourced entity", grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("event-sourced: an event after a command") {
  auto function = StartTestFunction();
  EsStream stream(Connect(function->port()));
  REQUIRE(stream.Send(EsInit("fntest.Model", "e1")));
  REQUIRE(stream.Exchange(EsCommand("e1", 1, "Process", Req("e1")))->has_reply());
  ExpectStreamFailure(stream, stream.Exchange(EsEvent(1, Persisted("A"))), 0, "after a command",
                      grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("event-sourced: events out of sequence") {
  auto function = StartTestFunction();
  EsStream stream(Connect(function->port()));
  REQUIRE(stream.Send(EsInit("fntest.Model", "e1", 5, Persisted("ABCDE"))));
  ExpectStreamFailure(stream, stream.Exchange(EsEvent(5, Persisted("E"))), 0, "does not follow sequence 5",
                      grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("event-sourced: an event or snapshot the entity rejects") {
  auto function = StartTestFunction();
  {
    EsStream stream(Connect(function->port()));
    REQUIRE(stream.Send(EsInit("fntest.Model", "e1")));
    ExpectStreamFailure(stream, stream.Exchange(EsEvent(1, Response("not an event"))), 0, "rejected event 1",
                        grpc::StatusCode::INTERNAL);
  }
  EsStream stream(Connect(function->port()));
  ExpectStreamFailure(stream, stream.Exchange(EsInit("fntest.Model", "e1", 3, Response("not a snapshot"))), 0,
                      "rejected its snapshot at sequence 3", grpc::StatusCode::INTERNAL);
}

TEST_CASE("event-sourced: a command for another entity, and an empty message") {
  auto function = StartTestFunction();
  {
    EsStream stream(Connect(function->port()));
    REQUIRE(stream.Send(EsInit("fntest.Model", "e1")));
    ExpectStreamFailure(stream, stream.Exchange(EsCommand("e2", 1, "Process", Req("e2"))), 1, "this stream serves \"e1\"",
                        grpc::StatusCode::INVALID_ARGUMENT);
  }
  EsStream stream(Connect(function->port()));
  ExpectStreamFailure(stream, stream.Exchange(es::EventSourcedStreamIn()), 0, "no message set",
                      grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("value entity: a command before init, a second init, an unknown service") {
  auto function = StartTestFunction();
  {
    VeStream stream(Connect(function->port()));
    ExpectStreamFailure(stream, stream.Exchange(VeCommand("v1", 1, "Process", Req("v1"))), 1, "must start with init",
                        grpc::StatusCode::INVALID_ARGUMENT);
  }
  {
    VeStream stream(Connect(function->port()));
    REQUIRE(stream.Send(VeInit("fntest.ValueModel", "v1", nullptr)));
    ExpectStreamFailure(stream, stream.Exchange(VeInit("fntest.ValueModel", "v1", nullptr)), 0, "second init",
                        grpc::StatusCode::INVALID_ARGUMENT);
  }
  {
    VeStream stream(Connect(function->port()));
    ExpectStreamFailure(stream, stream.Exchange(VeInit("fntest.Nope", "v1", nullptr)), 0, "is not served",
                        grpc::StatusCode::NOT_FOUND);
  }
  VeStream stream(Connect(function->port()));
  REQUIRE(stream.Send(VeInit("fntest.ValueModel", "v1", nullptr)));
  std::optional<ve::ValueEntityStreamOut> unknown = stream.Exchange(VeCommand("v1", 1, "Nope", Req("v1")));
  REQUIRE(unknown.has_value());
  REQUIRE(unknown->reply().client_action().has_failure());
  CHECK(unknown->reply().client_action().failure().description().find("no method \"Nope\"") != std::string::npos);
  CHECK(stream.Close().ok());
}

TEST_CASE("actions: unknown service or method, and the wrong protocol method for the rpc") {
  auto function = StartTestFunction();
  auto stub = ac::ActionProtocol::NewStub(Connect(function->port()));
  auto unary = [&](const std::string& service, const std::string& name) {
    grpc::ClientContext context;
    SetDeadline(context);
    ac::ActionCommand command;
    command.set_service_name(service);
    command.set_name(name);
    *command.mutable_payload() = Pack(ActionReq({}));
    ac::ActionResponse response;
    REQUIRE(stub->handleUnary(&context, command, &response).ok());
    REQUIRE(response.has_failure());
    return response.failure().description();
  };
  CHECK(unary("fntest.Nope", "Unary").find("is not served") != std::string::npos);
  CHECK(unary("fntest.Model", "Process").find("served as an event-sourced entity, not as an action") != std::string::npos);
  CHECK(unary("fntest.Actions", "Nope").find("no method \"Nope\"") != std::string::npos);
  CHECK(unary("fntest.Actions", "Streamed").find("must call handleStreamed, not handleUnary") != std::string::npos);

  // A streamed call whose head names nothing served is answered and ended at once.
  grpc::ClientContext context;
  SetDeadline(context);
  auto stream = stub->handleStreamed(&context);
  ac::ActionCommand head;
  head.set_service_name("fntest.Nope");
  head.set_name("Streamed");
  REQUIRE(stream->Write(head));
  ac::ActionResponse response;
  REQUIRE(stream->Read(&response));
  CHECK(response.failure().description().find("is not served") != std::string::npos);
  CHECK_FALSE(stream->Read(&response));
  CHECK(stream->Finish().ok());
}

TEST_CASE("actions: a streamed call that ends before its first message") {
  auto function = StartTestFunction();
  auto stub = ac::ActionProtocol::NewStub(Connect(function->port()));
  {
    grpc::ClientContext context;
    SetDeadline(context);
    ac::ActionResponse response;
    auto writer = stub->handleStreamedIn(&context, &response);
    writer->WritesDone();
    REQUIRE(writer->Finish().ok());
    CHECK(response.failure().description().find("ended before its first message") != std::string::npos);
  }
  grpc::ClientContext context;
  SetDeadline(context);
  auto stream = stub->handleStreamed(&context);
  stream->WritesDone();
  ac::ActionResponse response;
  REQUIRE(stream->Read(&response));
  CHECK(response.failure().description().find("ended before its first message") != std::string::npos);
  CHECK_FALSE(stream->Read(&response));
  CHECK(stream->Finish().ok());
}

TEST_CASE("a misbehaving stream leaves the others alone") {
  auto function = StartTestFunction();
  auto channel = Connect(function->port());
  EsStream good(channel);
  REQUIRE(good.Send(EsInit("fntest.Model", "e1")));
  REQUIRE(good.Exchange(EsCommand("e1", 1, "Process", Req("e1", {Emit("A")})))->has_reply());
  {
    EsStream bad(channel);
    ExpectStreamFailure(bad, bad.Exchange(EsCommand("e1", 1, "Process", Req("e1"))), 1, "must start with init",
                        grpc::StatusCode::INVALID_ARGUMENT);
  }
  std::optional<es::EventSourcedStreamOut> out = good.Exchange(EsCommand("e1", 2, "Process", Req("e1")));
  REQUIRE(out.has_value());
  fntest::Response response;
  REQUIRE(out->reply().client_action().reply().payload().UnpackTo(&response));
  CHECK(response.message() == "A");
  CHECK(good.Close().ok());
}

}  // namespace
}  // namespace fntest_support
