// AC-M-01 .. AC-M-34: the kit calls the user function's ActionProtocol directly, in all four
// shapes.
#include "action_messages.h"
#include "cases.h"
#include "cloudstate/action.grpc.pb.h"
#include "discovery_checks.h"
#include "driver/model_stream.h"

namespace cloudstate::tck {
namespace {

using namespace ac;  // NOLINT: the notation of the specification
using Protocol = ::cloudstate::action::ActionProtocol;

Case M(std::string id, std::string name, std::function<void(Tck&)> body) {
  return Case{std::move(id), std::move(name), {kModel, kTwo}, Needs::kNothing, std::move(body), ""};
}

void Unary(Tck& t, const amodel::Request& request, const Response& expected) {
  auto stub = Protocol::NewStub(t.user_function());
  grpc::ClientContext context;
  t.Prepare(context);
  Response response;
  ExpectOk(stub->handleUnary(&context, Cmd("ProcessUnary", request), &response), "handleUnary");
  ClearActionMetadata(response);
  ExpectEqual(expected, response, "unexpected response from the function");
}

void StreamedIn(Tck& t, const std::vector<amodel::Request>& requests, const Response& expected) {
  auto stub = Protocol::NewStub(t.user_function());
  grpc::ClientContext context;
  t.Prepare(context);
  Response response;
  auto writer = stub->handleStreamedIn(&context, &response);
  writer->Write(Head("ProcessStreamedIn"));
  for (const auto& request : requests) writer->Write(Msg(request));
  writer->WritesDone();
  ExpectOk(writer->Finish(), "handleStreamedIn");
  ClearActionMetadata(response);
  ExpectEqual(expected, response, "unexpected response from the function");
}

void StreamedOut(Tck& t, const amodel::Request& request, const std::vector<Response>& expected) {
  auto stub = Protocol::NewStub(t.user_function());
  grpc::ClientContext context;
  t.Prepare(context);
  auto reader = stub->handleStreamedOut(&context, Cmd("ProcessStreamedOut", request));
  Response response;
  for (const Response& want : expected) {
    if (!reader->Read(&response)) {
      Fail("the function ended the stream early", Describe(want), DescribeStatus(reader->Finish()));
    }
    ClearActionMetadata(response);
    ExpectEqual(want, response, "unexpected response from the function");
  }
  if (reader->Read(&response)) {
    context.TryCancel();
    (void)reader->Finish();
    Fail("the function sent more than expected", "end of stream", Describe(response));
  }
  ExpectOk(reader->Finish(), "handleStreamedOut");
}

// Each request and the responses it must bring, then the kit half-closes.
void Duplex(Tck& t, const std::vector<std::pair<amodel::Request, std::vector<Response>>>& rows) {
  auto stub = std::shared_ptr(Protocol::NewStub(t.user_function()));
  ModelStream<Command, Response> s(t, [stub](grpc::ClientContext* c) { return stub->handleStreamed(c); });
  s.Send(Head("ProcessStreamed"));
  for (const auto& [request, responses] : rows) {
    s.Send(Msg(request));
    for (const Response& response : responses) s.Expect(response);
  }
  s.Close();
}

}  // namespace

std::vector<Case> ActionModelCases() {
  std::vector<Case> cases;
  cases.push_back(M("AC-M-01", "verify action entity discovery", [](Tck& t) {
    ExpectDeclared(t, kModel);
    ExpectDeclared(t, kTwo);
    ExpectEntity(t, kModel, kType);
    ExpectEntity(t, kTwo, kType);
  }));
  struct UnaryRow { const char* id; const char* name; amodel::Request request; Response expected; };
  const std::vector<UnaryRow> unary = {
      {"AC-M-02", "verify unary command reply", Req({{R("one")}}), ReplyR("one")},
      {"AC-M-03", "verify unary command reply with side effect", Req({{R("two"), E("other")}}), ReplyR("two", {Se("other")})},
      {"AC-M-04", "verify unary command reply with synchronous side effect", Req({{R("three"), E("another", true)}}),
       ReplyR("three", {Se("another", true)})},
      {"AC-M-05", "verify unary command reply with multiple side effects", Req({{R("four"), E("a"), E("b"), E("c")}}),
       ReplyR("four", {Se("a"), Se("b"), Se("c")})},
      {"AC-M-06", "verify unary command no reply", Req({{}}), NoReply()},
      {"AC-M-07", "verify unary command no reply with side effect", Req({{E("other")}}), NoReply({Se("other")})},
      {"AC-M-08", "verify unary command no reply with synchronous side effect", Req({{E("another", true)}}),
       NoReply({Se("another", true)})},
      {"AC-M-09", "verify unary command no reply with multiple side effects", Req({{E("a"), E("b"), E("c")}}),
       NoReply({Se("a"), Se("b"), Se("c")})},
      {"AC-M-10", "verify unary command forward", Req({{F("one")}}), FwdR("one")},
      {"AC-M-11", "verify unary command forward with side effect", Req({{F("two"), E("other")}}), FwdR("two", {Se("other")})},
      {"AC-M-12", "verify unary command forward with synchronous side effect", Req({{F("three"), E("another", true)}}),
       FwdR("three", {Se("another", true)})},
      {"AC-M-13", "verify unary command forward with multiple side effects", Req({{F("four"), E("a"), E("b"), E("c")}}),
       FwdR("four", {Se("a"), Se("b"), Se("c")})},
      {"AC-M-14", "verify unary command failure", Req({{X("one")}}), FailureR("one")},
      {"AC-M-15", "verify unary command failure with side effect", Req({{X("two"), E("other")}}),
       FailureR("two", {Se("other")})},
      {"AC-M-16", "verify unary command failure with synchronous side effect", Req({{X("three"), E("another", true)}}),
       FailureR("three", {Se("another", true)})},
      {"AC-M-17", "verify unary command failure with multiple side effects", Req({{X("four"), E("a"), E("b"), E("c")}}),
       FailureR("four", {Se("a"), Se("b"), Se("c")})},
  };
  for (const UnaryRow& row : unary) {
    cases.push_back(M(row.id, row.name, [row](Tck& t) { Unary(t, row.request, row.expected); }));
  }

  struct InRow { const char* id; const char* name; std::vector<amodel::Request> requests; Response expected; };
  const auto mixed = [](amodel::ProcessStep first) {
    return std::vector<amodel::Request>{Req({{first, E("a")}}), Req({{E("b", true)}}), Req({{E("c"), E("d")}})};
  };
  const std::vector<InRow> streamed_in = {
      {"AC-M-18", "verify streamed-in command reply", {Req({{R("one")}})}, ReplyR("one")},
      {"AC-M-19", "verify streamed-in command reply with side effects", mixed(R("two")),
       ReplyR("two", {Se("a"), Se("b", true), Se("c"), Se("d")})},
      {"AC-M-20", "verify streamed-in command no reply (no requests)", {}, NoReply()},
      {"AC-M-21", "verify streamed-in command no reply", {Req({{}})}, NoReply()},
      {"AC-M-22", "verify streamed-in command no reply with side effects",
       {Req({{E("a")}}), Req({{E("b", true)}}), Req({{E("c"), E("d")}})},
       NoReply({Se("a"), Se("b", true), Se("c"), Se("d")})},
      {"AC-M-23", "verify streamed-in command forward", {Req({{F("one")}})}, FwdR("one")},
      {"AC-M-24", "verify streamed-in command forward with side effects", mixed(F("two")),
       FwdR("two", {Se("a"), Se("b", true), Se("c"), Se("d")})},
      {"AC-M-25", "verify streamed-in command failure", {Req({{X("one")}})}, FailureR("one")},
      {"AC-M-26", "verify streamed-in command failure with side effects", mixed(X("two")),
       FailureR("two", {Se("a"), Se("b", true), Se("c"), Se("d")})},
  };
  for (const InRow& row : streamed_in) {
    cases.push_back(M(row.id, row.name, [row](Tck& t) { StreamedIn(t, row.requests, row.expected); }));
  }

  // The four groups of the streamed cases, with `primary` making the first step of each.
  using Make = amodel::ProcessStep (*)(const std::string&);
  const auto four_groups = [](Make primary) {
    const auto with = [&](const std::string& text, Group rest) {
      if (primary != nullptr) rest.insert(rest.begin(), primary(text));
      return rest;
    };
    return std::vector<Group>{with("one", {}), with("two", {E("other")}), with("three", {E("another", true)}),
                              with("four", {E("a"), E("b"), E("c")})};
  };
  using Expect = Response (*)(const std::string&, std::initializer_list<::cloudstate::SideEffect>);
  const auto four_responses = [](Expect expect) {
    const auto at = [&](const std::string& text, std::initializer_list<::cloudstate::SideEffect> effects) {
      return expect == nullptr ? NoReply(effects) : expect(text, effects);
    };
    return std::vector<Response>{at("one", {}), at("two", {Se("other")}), at("three", {Se("another", true)}),
                                 at("four", {Se("a"), Se("b"), Se("c")})};
  };
  struct ShapeRow { const char* out_id; const char* out_name; const char* duplex_id; const char* duplex_name; Make step; Expect expect; };
  const std::vector<ShapeRow> shapes = {
      {"AC-M-27", "verify streamed-out command replies and side effects", "AC-M-31",
       "verify streamed command replies and side effects", R, ReplyR},
      {"AC-M-28", "verify streamed-out command no replies and side effects", "AC-M-32",
       "verify streamed command no replies and side effects", nullptr, nullptr},
      {"AC-M-29", "verify streamed-out command forwards and side effects", "AC-M-33",
       "verify streamed command forwards and side effects", F, FwdR},
      {"AC-M-30", "verify streamed-out command failures and side effects", "AC-M-34",
       "verify streamed command failures and side effects", X, FailureR},
  };
  for (const ShapeRow& row : shapes) {
    amodel::Request request;
    for (const Group& group : four_groups(row.step)) {
      auto* added = request.add_groups();
      for (const auto& step : group) *added->add_steps() = step;
    }
    std::vector<Response> responses = four_responses(row.expect);
    cases.push_back(M(row.out_id, row.out_name, [request, responses](Tck& t) { StreamedOut(t, request, responses); }));
  }
  for (const ShapeRow& row : shapes) {
    std::vector<std::pair<amodel::Request, std::vector<Response>>> rows;
    std::vector<Group> groups = four_groups(row.step);
    std::vector<Response> responses = four_responses(row.expect);
    for (size_t i = 0; i < groups.size(); ++i) {
      amodel::Request request;
      auto* added = request.add_groups();
      for (const auto& step : groups[i]) *added->add_steps() = step;
      rows.push_back({request, {responses[i]}});
    }
    // Two groups in one request: two responses.
    Group fifth;
    Group sixth = {E("other")};
    if (row.step != nullptr) {
      fifth.push_back(row.step("five"));
      sixth.insert(sixth.begin(), row.step("six"));
    }
    amodel::Request two;
    for (const Group& group : {fifth, sixth}) {
      auto* added = two.add_groups();
      for (const auto& step : group) *added->add_steps() = step;
    }
    rows.push_back({two,
                    {row.expect == nullptr ? NoReply() : row.expect("five", {}),
                     row.expect == nullptr ? NoReply({Se("other")}) : row.expect("six", {Se("other")})}});
    cases.push_back(M(row.duplex_id, row.duplex_name, [rows](Tck& t) { Duplex(t, rows); }));
  }
  return cases;
}

}  // namespace cloudstate::tck
