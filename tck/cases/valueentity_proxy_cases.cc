// VE-P-01 .. VE-P-05: the kit calls the proxy as a client and checks what the proxy exchanged with
// the user function through the interceptor.
#include "cases.h"
#include "driver/tck.h"
#include "proxy_calls.h"
#include "valueentity_messages.h"

namespace cloudstate::tck {
namespace {

using namespace ve;  // NOLINT: the notation of the specification

grpc::Status Call(Tck& t, const vmodel::Request& request, vmodel::Response& response) {
  return CallProcess<vmodel::ValueEntityTckModel>(t, request, response);
}

void Process(Tck& t, const vmodel::Request& request, const vmodel::Response& expected) {
  ExpectProcess<vmodel::ValueEntityTckModel>(t, request, expected);
}

Case P(std::string id, std::string name, std::function<void(Tck&, const std::string&)> body,
       Needs needs = Needs::kNothing) {
  return Case{std::move(id), std::move(name), {kModel, kTwo}, needs,
              [body](Tck& t) { body(t, t.NextValueEntityId()); }, ""};
}

}  // namespace

std::vector<Case> ValueEntityProxyCases() {
  std::vector<Case> cases;
  cases.push_back(P("VE-P-01", "verify state changes", [](Tck& t, const std::string& id) {
    struct Step { vmodel::Request request; std::string state; Parts parts; };
    const std::vector<Step> steps = {{Req(id), "", {}},
                                     {Req(id, {Update("one")}), "one", {.update = "one"}},
                                     {Req(id, {Update("two")}), "two", {.update = "two"}},
                                     {Req(id), "two", {}},
                                     {Req(id, {Delete()}), "", {.deleted = true}},
                                     {Req(id), "", {}},
                                     {Req(id, {Update("foo")}), "foo", {.update = "foo"}},
                                     {Req(id, {Delete()}), "", {.deleted = true}}};
    std::optional<ConnectionProbe> c;
    int64_t n = 0;
    for (const Step& step : steps) {
      Process(t, step.request, Rsp(step.state));
      if (!c) {
        c = t.NextConnection(CallKind::kValueEntity);
        c->ExpectIn(Init(kModel, id));
      }
      ++n;
      Exchange(*c, Cmd(id, n, "Process", step.request), Reply(n, Rsp(step.state), step.parts));
    }
  }));
  cases.push_back(P("VE-P-02", "verify forwards and side effects", [](Tck& t, const std::string& id) {
    Process(t, Req(id, {Update("one")}), Rsp("one"));
    ConnectionProbe c1 = t.NextConnection(CallKind::kValueEntity);
    c1.ExpectIn(Init(kModel, id));
    Exchange(c1, Cmd(id, 1, "Process", Req(id, {Update("one")})), Reply(1, Rsp("one"), {.update = "one"}));

    Process(t, Req(id, {Forward(id)}), Rsp());
    Exchange(c1, Cmd(id, 2, "Process", Req(id, {Forward(id)})), Fwd(2, id));
    ConnectionProbe c2 = t.NextConnection(CallKind::kValueEntity);
    c2.ExpectIn(Init(kTwo, id));
    Exchange(c2, Cmd(id, 1, "Call", Req(id)), Reply(1, Rsp()));

    Process(t, Req(id, {Effect(id)}), Rsp("one"));
    Exchange(c1, Cmd(id, 3, "Process", Req(id, {Effect(id)})), Reply(3, Rsp("one"), {.effects = {Se(id)}}));
    Exchange(c2, Cmd(id, 2, "Call", Req(id)), Reply(2, Rsp()));

    Process(t, Req(id), Rsp("one"));
    Exchange(c1, Cmd(id, 4, "Process", Req(id)), Reply(4, Rsp("one")));
  }));
  cases.push_back(P("VE-P-03", "verify failures", [](Tck& t, const std::string& id) {
    Process(t, Req(id, {Update("one")}), Rsp("one"));
    ConnectionProbe c = t.NextConnection(CallKind::kValueEntity);
    c.ExpectIn(Init(kModel, id));
    Exchange(c, Cmd(id, 1, "Process", Req(id, {Update("one")})), Reply(1, Rsp("one"), {.update = "one"}));

    vmodel::Response response;
    ExpectFailure(Call(t, Req(id, {FailWith("expected failure")}), response), "expected failure", "Process");
    Exchange(c, Cmd(id, 2, "Process", Req(id, {FailWith("expected failure")})), Failure(2, "expected failure"));

    Process(t, Req(id), Rsp("one"));
    Exchange(c, Cmd(id, 3, "Process", Req(id)), Reply(3, Rsp("one")));
  }));
  cases.push_back(P("VE-P-04", "verify HTTP API", [](Tck& t, const std::string& id) {
    auto call = [&](const std::string& path, const std::string& body, int status, const std::string& expected) {
      HttpResponse response = t.Http(path, body);
      ExpectTrue(response.status == status && (status != 200 || response.content_type == "application/json"),
                 "HTTP " + path, std::to_string(status) + (status == 200 ? " application/json" : ""),
                 std::to_string(response.status) + " " + response.content_type);
      ExpectTrue(response.body == expected, "HTTP body of " + path, expected, response.body);
    };
    const std::string path = "/tck/model/entity/" + id;
    call(path, "{}", 200, R"({"message":""})");
    ConnectionProbe c1 = t.NextConnection(CallKind::kValueEntity);
    c1.ExpectIn(Init(kModel, id));
    Exchange(c1, Cmd(id, 1, "Process", Req(id)), Reply(1, Rsp()));

    call("/cloudstate.tck.model.valueentity.ValueEntityTwo/Call", R"({"id": ")" + id + R"("})", 200, R"({"message":""})");
    ConnectionProbe c2 = t.NextConnection(CallKind::kValueEntity);
    c2.ExpectIn(Init(kTwo, id));
    Exchange(c2, Cmd(id, 1, "Call", Req(id)), Reply(1, Rsp()));

    call(path, R"({"actions": [{"update": {"value": "one"}}]})", 200, R"({"message":"one"})");
    Exchange(c1, Cmd(id, 2, "Process", Req(id, {Update("one")})), Reply(2, Rsp("one"), {.update = "one"}));
    call(path, R"({"actions": [{"fail": {"message": "expected failure"}}]})", 500, "expected failure");
    Exchange(c1, Cmd(id, 3, "Process", Req(id, {FailWith("expected failure")})), Failure(3, "expected failure"));
    call(path, R"({"actions": [{"update": {"value": "two"}}]})", 200, R"({"message":"two"})");
    Exchange(c1, Cmd(id, 4, "Process", Req(id, {Update("two")})), Reply(4, Rsp("two"), {.update = "two"}));
    call(path, "{}", 200, R"({"message":"two"})");
    Exchange(c1, Cmd(id, 5, "Process", Req(id)), Reply(5, Rsp("two")));
  }, Needs::kHttpJson));
  cases.push_back(Case{"VE-P-05", "verify passivation timeout", {kConfigured}, Needs::kNothing, [](Tck& t) {
    const std::string id = t.NextValueEntityId();
    auto stub = vmodel::ValueEntityConfigured::NewStub(t.proxy());
    grpc::ClientContext context;
    t.Prepare(context);
    vmodel::Response response;
    (void)stub->Call(&context, Req(id), &response);  // the original kit does not wait for the result
    ConnectionProbe c = t.NextConnection(CallKind::kValueEntity);
    c.ExpectIn(Init(kConfigured, id));
    Exchange(c, Cmd(id, 1, "Call", Req(id)), Reply(1, Rsp()));
    c.ExpectClosed(std::chrono::milliseconds(2000));
  }, ""});
  return cases;
}

}  // namespace cloudstate::tck
