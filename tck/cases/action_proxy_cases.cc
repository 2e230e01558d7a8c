// AC-P-01 .. AC-P-09: the kit calls the proxy's ActionTckModel as a client and checks the action
// calls the proxy made to the user function.
#include "action_messages.h"
#include "cases.h"
#include "driver/tck.h"

namespace cloudstate::tck {
namespace {

using namespace ac;  // NOLINT: the notation of the specification

Case P(std::string id, std::string name, std::function<void(Tck&)> body, Needs needs = Needs::kNothing) {
  return Case{std::move(id), std::move(name), {kModel, kTwo}, needs, std::move(body), ""};
}

grpc::Status CallUnary(Tck& t, const amodel::Request& request, amodel::Response& response) {
  auto stub = amodel::ActionTckModel::NewStub(t.proxy());
  grpc::ClientContext context;
  t.Prepare(context);
  return stub->ProcessUnary(&context, request, &response);
}

void Unary(Tck& t, const amodel::Request& request, const amodel::Response& expected) {
  amodel::Response response;
  ExpectOk(CallUnary(t, request, response), "ProcessUnary");
  ExpectEqual(expected, response, "reply to the client");
}

// The next call is a unary one with `command` answered by `response`.
void ExpectUnary(Tck& t, const Command& command, const Response& response) {
  ConnectionProbe c = t.NextConnection(CallKind::kActionUnary);
  c.ExpectIn(command);
  c.ExpectOut(response);
}

template <typename Stream>
void Receive(Stream& stream, const amodel::Response& expected) {
  amodel::Response response;
  if (!stream.Read(&response)) Fail("the client's response stream ended early", Describe(expected), "end of stream");
  ExpectEqual(expected, response, "response to the client");
}

template <typename Stream>
void ExpectEnd(Stream& stream) {
  amodel::Response extra;
  if (stream.Read(&extra)) Fail("the client received more than expected", "end of stream", Describe(extra));
}

}  // namespace

std::vector<Case> ActionProxyCases() {
  std::vector<Case> cases;
  cases.push_back(P("AC-P-01", "verify unary command processing", [](Tck& t) {
    Unary(t, Req({{R("one")}}), Rsp("one"));
    ExpectUnary(t, Cmd("ProcessUnary", Req({{R("one")}})), ReplyR("one"));
  }));
  cases.push_back(P("AC-P-02", "verify streamed-in command processing", [](Tck& t) {
    auto stub = amodel::ActionTckModel::NewStub(t.proxy());
    grpc::ClientContext context;
    t.Prepare(context);
    amodel::Response response;
    auto writer = stub->ProcessStreamedIn(&context, &response);
    writer->Write(Req({{R("two")}}));
    writer->WritesDone();
    ExpectOk(writer->Finish(), "ProcessStreamedIn");
    ExpectEqual(Rsp("two"), response, "reply to the client");
    ConnectionProbe c = t.NextConnection(CallKind::kActionStreamedIn);
    c.ExpectIn(Head("ProcessStreamedIn"));
    c.ExpectIn(Msg(Req({{R("two")}})));
    c.ExpectInComplete();
    c.ExpectOut(ReplyR("two"));
  }));
  cases.push_back(P("AC-P-03", "verify streamed-out command processing", [](Tck& t) {
    auto stub = amodel::ActionTckModel::NewStub(t.proxy());
    grpc::ClientContext context;
    t.Prepare(context);
    const amodel::Request request = Req({{R("A")}, {R("B")}, {R("C")}});
    auto reader = stub->ProcessStreamedOut(&context, request);
    for (const char* message : {"A", "B", "C"}) Receive(*reader, Rsp(message));
    ExpectEnd(*reader);
    ExpectOk(reader->Finish(), "ProcessStreamedOut");
    ConnectionProbe c = t.NextConnection(CallKind::kActionStreamedOut);
    c.ExpectIn(Cmd("ProcessStreamedOut", request));
    for (const char* message : {"A", "B", "C"}) c.ExpectOut(ReplyR(message));
    c.ExpectOutComplete();
  }));
  cases.push_back(P("AC-P-04", "verify streamed command processing", [](Tck& t) {
    auto stub = amodel::ActionTckModel::NewStub(t.proxy());
    grpc::ClientContext context;
    t.Prepare(context);
    auto stream = stub->ProcessStreamed(&context);
    for (const char* message : {"X", "Y", "Z"}) stream->Write(Req({{R(message)}}));
    stream->WritesDone();
    for (const char* message : {"X", "Y", "Z"}) Receive(*stream, Rsp(message));
    ExpectEnd(*stream);
    ExpectOk(stream->Finish(), "ProcessStreamed");
    ConnectionProbe c = t.NextConnection(CallKind::kActionStreamed);
    c.ExpectIn(Head("ProcessStreamed"));
    for (const char* message : {"X", "Y", "Z"}) c.ExpectIn(Msg(Req({{R(message)}})));
    c.ExpectInComplete();
    for (const char* message : {"X", "Y", "Z"}) c.ExpectOut(ReplyR(message));
    c.ExpectOutComplete();
  }));
  cases.push_back(P("AC-P-05", "verify unary forwards and side effects", [](Tck& t) {
    Unary(t, Req({{F("other")}}), Rsp());
    ExpectUnary(t, Cmd("ProcessUnary", Req({{F("other")}})), FwdR("other"));
    ExpectUnary(t, Call2("other"), ReplyR(""));
    Unary(t, Req({{R(""), E("another")}}), Rsp());
    ExpectUnary(t, Cmd("ProcessUnary", Req({{R(""), E("another")}})), ReplyR("", {Se("another")}));
    ExpectUnary(t, Call2("another"), ReplyR(""));
  }));
  cases.push_back(P("AC-P-06", "verify streamed forwards and side effects", [](Tck& t) {
    auto stub = amodel::ActionTckModel::NewStub(t.proxy());
    grpc::ClientContext context;
    t.Prepare(context);
    auto stream = stub->ProcessStreamed(&context);
    stream->Write(Req({{F("one")}}));
    Receive(*stream, Rsp());
    ConnectionProbe c = t.NextConnection(CallKind::kActionStreamed);
    c.ExpectIn(Head("ProcessStreamed"));
    c.ExpectIn(Msg(Req({{F("one")}})));
    c.ExpectOut(FwdR("one"));
    ExpectUnary(t, Call2("one"), ReplyR(""));
    stream->Write(Req({{E("two")}}));
    c.ExpectIn(Msg(Req({{E("two")}})));
    c.ExpectOut(NoReply({Se("two")}));
    ExpectUnary(t, Call2("two"), ReplyR(""));
    stream->WritesDone();
    ExpectEnd(*stream);
    ExpectOk(stream->Finish(), "ProcessStreamed");
    c.ExpectClosed(t.settings().timeout);
  }));
  cases.push_back(P("AC-P-07", "verify unary failures", [](Tck& t) {
    amodel::Response response;
    ExpectFailure(CallUnary(t, Req({{X("expected failure")}}), response), "expected failure", "ProcessUnary");
    ExpectUnary(t, Cmd("ProcessUnary", Req({{X("expected failure")}})), FailureR("expected failure"));
  }));
  cases.push_back(P("AC-P-08", "verify streamed failures", [](Tck& t) {
    auto stub = amodel::ActionTckModel::NewStub(t.proxy());
    grpc::ClientContext context;
    t.Prepare(context);
    auto stream = stub->ProcessStreamed(&context);
    // The proxy opens the protocol call as soon as the client call starts.
    ConnectionProbe c = t.NextConnection(CallKind::kActionStreamed);
    c.ExpectIn(Head("ProcessStreamed"));
    stream->Write(Req({{X("expected failure")}}));
    amodel::Response response;
    if (stream->Read(&response)) Fail("the client received a response", "the call failing", Describe(response));
    ExpectFailure(stream->Finish(), "expected failure", "ProcessStreamed");
    c.ExpectIn(Msg(Req({{X("expected failure")}})));
    c.ExpectOut(FailureR("expected failure"));
  }));
  cases.push_back(P("AC-P-09", "verify unary HTTP API", [](Tck& t) {
    HttpResponse ok = t.Http("/tck/model/action/unary", R"({"groups": [{"steps": [{"reply": {"message": "foo"}}]}]})");
    ExpectTrue(ok.status == 200 && ok.content_type == "application/json", "HTTP /tck/model/action/unary",
               "200 application/json", std::to_string(ok.status) + " " + ok.content_type);
    ExpectTrue(ok.body == R"({"message":"foo"})", "HTTP body", R"({"message":"foo"})", ok.body);
    ExpectUnary(t, Cmd("ProcessUnary", Req({{R("foo")}})), ReplyR("foo"));
    HttpResponse failed = t.Http("/tck/model/action/unary", R"({"groups": [{"steps": [{"fail": {"message": "boom"}}]}]})");
    ExpectTrue(failed.status == 500, "HTTP /tck/model/action/unary", "500", std::to_string(failed.status));
    ExpectTrue(failed.body == "boom", "HTTP body", "boom", failed.body);
    ExpectUnary(t, Cmd("ProcessUnary", Req({{X("boom")}})), FailureR("boom"));
  }, Needs::kHttpJson));
  return cases;
}

}  // namespace cloudstate::tck
