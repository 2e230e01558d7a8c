// ES-P-01 .. ES-P-05: the kit calls the proxy as a client and checks what the proxy exchanged with
// the user function through the interceptor.
#include "cases.h"
#include "driver/tck.h"
#include "proxy_calls.h"
#include "eventsourced_messages.h"

namespace cloudstate::tck {
namespace {

using namespace es;  // NOLINT: the notation of the specification

grpc::Status Call(Tck& t, const model::Request& request, model::Response& response) {
  return CallProcess<model::EventSourcedTckModel>(t, request, response);
}

// The client call succeeds with `expected`.
void Process(Tck& t, const model::Request& request, const model::Response& expected) {
  ExpectProcess<model::EventSourcedTckModel>(t, request, expected);
}

void ProcessFails(Tck& t, const model::Request& request, const std::string& description) {
  model::Response response;
  ExpectFailure(Call(t, request, response), description, "Process");
}

// A failure with any restart flag; returns the flag.
bool ExpectFailureReply(ConnectionProbe& c, int64_t id, const std::string& description) {
  Out out = c.NextOut<Out>();
  const auto& action = out.reply().client_action();
  ExpectTrue(out.has_reply() && action.has_failure() && action.failure().command_id() == id &&
                 action.failure().description() == description,
             "unexpected message from the function",
             "a reply with failure{command_id: " + std::to_string(id) + ", description: \"" + description + "\"}",
             Describe(out));
  return action.failure().restart();
}

Case P(std::string id, std::string name, std::function<void(Tck&, const std::string&)> body,
       Needs needs = Needs::kNothing) {
  return Case{std::move(id), std::move(name), {kModel, kTwo}, needs,
              [body](Tck& t) { body(t, t.NextEventSourcedId()); }, ""};
}

}  // namespace

std::vector<Case> EventSourcedProxyCases() {
  std::vector<Case> cases;
  cases.push_back(P("ES-P-01", "verify state changes", [](Tck& t, const std::string& id) {
    Process(t, Req(id), Rsp());
    ConnectionProbe c = t.NextConnection(CallKind::kEventSourced);
    c.ExpectIn(Init(kModel, id));
    Exchange(c, Cmd(id, 1, "Process", Req(id)), Reply(1, Rsp()));
    struct Step { std::vector<std::string> emit; std::string state; bool snapshot; };
    const std::vector<Step> steps = {{{"A"}, "A", false},
                                     {{"B", "C", "D"}, "ABCD", false},
                                     {{"E"}, "ABCDE", true},
                                     {{"F", "G", "H", "I"}, "ABCDEFGHI", false},
                                     {{"J", "K"}, "ABCDEFGHIJK", true}};
    int64_t n = 1;
    for (const Step& step : steps) {
      model::Request request = Req(id);
      for (const auto& value : step.emit) *request.add_actions() = Emit(value);
      Process(t, request, Rsp(step.state));
      Parts parts{.events = step.emit};
      if (step.snapshot) parts.snapshot = step.state;
      ++n;
      Exchange(c, Cmd(id, n, "Process", request), Reply(n, Rsp(step.state), parts));
    }
  }));
  cases.push_back(P("ES-P-02", "verify forwards and side effects", [](Tck& t, const std::string& id) {
    Process(t, Req(id, {Emit("one")}), Rsp("one"));
    ConnectionProbe c1 = t.NextConnection(CallKind::kEventSourced);
    c1.ExpectIn(Init(kModel, id));
    Exchange(c1, Cmd(id, 1, "Process", Req(id, {Emit("one")})), Reply(1, Rsp("one"), {.events = {"one"}}));

    Process(t, Req(id, {Forward(id)}), Rsp());
    Exchange(c1, Cmd(id, 2, "Process", Req(id, {Forward(id)})), Fwd(2, id));
    ConnectionProbe c2 = t.NextConnection(CallKind::kEventSourced);
    c2.ExpectIn(Init(kTwo, id));
    Exchange(c2, Cmd(id, 1, "Call", Req(id)), Reply(1, Rsp()));

    Process(t, Req(id, {Effect(id)}), Rsp("one"));
    Exchange(c1, Cmd(id, 3, "Process", Req(id, {Effect(id)})), Reply(3, Rsp("one"), {.effects = {Se(id)}}));
    Exchange(c2, Cmd(id, 2, "Call", Req(id)), Reply(2, Rsp()));

    Process(t, Req(id), Rsp("one"));
    Exchange(c1, Cmd(id, 4, "Process", Req(id)), Reply(4, Rsp("one")));
  }));
  cases.push_back(P("ES-P-03", "verify failures", [](Tck& t, const std::string& id) {
    Process(t, Req(id, {Emit("1"), Emit("2"), Emit("3")}), Rsp("123"));
    ConnectionProbe c1 = t.NextConnection(CallKind::kEventSourced);
    c1.ExpectIn(Init(kModel, id));
    Exchange(c1, Cmd(id, 1, "Process", Req(id, {Emit("1"), Emit("2"), Emit("3")})),
             Reply(1, Rsp("123"), {.events = {"1", "2", "3"}}));

    ProcessFails(t, Req(id, {FailWith("expected failure")}), "expected failure");
    Exchange(c1, Cmd(id, 2, "Process", Req(id, {FailWith("expected failure")})), Failure(2, "expected failure"));

    Process(t, Req(id), Rsp("123"));
    Exchange(c1, Cmd(id, 3, "Process", Req(id)), Reply(3, Rsp("123")));

    const model::Request emit_and_fail = Req(id, {Emit("4"), FailWith("another failure"), Emit("5")});
    ProcessFails(t, emit_and_fail, "another failure");
    c1.ExpectIn(Cmd(id, 4, "Process", emit_and_fail));
    const bool restart = ExpectFailureReply(c1, 4, "another failure");
    const model::Request emit_more = Req(id, {Emit("4"), Emit("5")});
    if (!restart) {
      Process(t, emit_more, Rsp("12345"));
      Exchange(c1, Cmd(id, 5, "Process", emit_more), Reply(5, Rsp("12345"), {.events = {"4", "5"}, .snapshot = "12345"}));
      return;
    }
    // The proxy restarts the entity on its own: a fresh stream replays the journal before any
    // further client call.
    c1.ExpectClosed(t.settings().timeout);
    ConnectionProbe c2 = t.NextConnection(CallKind::kEventSourced);
    c2.ExpectIn(Init(kModel, id));
    c2.ExpectIn(Event(1, "1"));
    c2.ExpectIn(Event(2, "2"));
    c2.ExpectIn(Event(3, "3"));
    Process(t, emit_more, Rsp("12345"));
    Exchange(c2, Cmd(id, 1, "Process", emit_more), Reply(1, Rsp("12345"), {.events = {"4", "5"}, .snapshot = "12345"}));
  }));
  cases.push_back(P("ES-P-04", "verify HTTP API", [](Tck& t, const std::string& id) {
    auto ok = [&](const std::string& path, const std::string& body, const std::string& expected) {
      HttpResponse response = t.Http(path, body);
      ExpectTrue(response.status == 200 && response.content_type == "application/json", "HTTP " + path,
                 "200 application/json", std::to_string(response.status) + " " + response.content_type);
      ExpectTrue(response.body == expected, "HTTP body of " + path, expected, response.body);
    };
    auto error = [&](const std::string& path, const std::string& body, const std::string& expected) {
      HttpResponse response = t.Http(path, body);
      ExpectTrue(response.status == 500, "HTTP " + path, "500", std::to_string(response.status));
      ExpectTrue(response.body == expected, "HTTP body of " + path, expected, response.body);
    };
    const std::string path = "/tck/model/eventsourced/" + id;
    ok(path, "{}", R"({"message":""})");
    ConnectionProbe c1 = t.NextConnection(CallKind::kEventSourced);
    c1.ExpectIn(Init(kModel, id));
    Exchange(c1, Cmd(id, 1, "Process", Req(id)), Reply(1, Rsp()));

    ok("/cloudstate.tck.model.EventSourcedTwo/Call", R"({"id": ")" + id + R"("})", R"({"message":""})");
    ConnectionProbe c2 = t.NextConnection(CallKind::kEventSourced);
    c2.ExpectIn(Init(kTwo, id));
    Exchange(c2, Cmd(id, 1, "Call", Req(id)), Reply(1, Rsp()));

    ok(path, R"({"actions": [{"emit": {"value": "x"}}]})", R"({"message":"x"})");
    Exchange(c1, Cmd(id, 2, "Process", Req(id, {Emit("x")})), Reply(2, Rsp("x"), {.events = {"x"}}));

    error(path, R"({"actions": [{"fail": {"message": "expected failure"}}]})", "expected failure");
    Exchange(c1, Cmd(id, 3, "Process", Req(id, {FailWith("expected failure")})), Failure(3, "expected failure"));

    ok(path, R"({"actions": [{"emit": {"value": "y"}}]})", R"({"message":"xy"})");
    Exchange(c1, Cmd(id, 4, "Process", Req(id, {Emit("y")})), Reply(4, Rsp("xy"), {.events = {"y"}}));

    error(path, R"({"actions": [{"emit": {"value": "z"}}, {"fail": {"message": "emit then fail"}}]})", "emit then fail");
    c1.ExpectIn(Cmd(id, 5, "Process", Req(id, {Emit("z"), FailWith("emit then fail")})));
    const bool restart = ExpectFailureReply(c1, 5, "emit then fail");
    const std::string emit_z = R"({"actions": [{"emit": {"value": "z"}}]})";
    if (!restart) {
      ok(path, emit_z, R"({"message":"xyz"})");
      Exchange(c1, Cmd(id, 6, "Process", Req(id, {Emit("z")})), Reply(6, Rsp("xyz"), {.events = {"z"}}));
      return;
    }
    c1.ExpectClosed(t.settings().timeout);
    ConnectionProbe c3 = t.NextConnection(CallKind::kEventSourced);
    c3.ExpectIn(Init(kModel, id));
    c3.ExpectIn(Event(1, "x"));
    c3.ExpectIn(Event(2, "y"));
    ok(path, emit_z, R"({"message":"xyz"})");
    Exchange(c3, Cmd(id, 1, "Process", Req(id, {Emit("z")})), Reply(1, Rsp("xyz"), {.events = {"z"}}));
  }, Needs::kHttpJson));
  cases.push_back(Case{"ES-P-05", "verify passivation timeout", {kConfigured}, Needs::kNothing, [](Tck& t) {
    const std::string id = t.NextEventSourcedId();
    auto stub = model::EventSourcedConfigured::NewStub(t.proxy());
    grpc::ClientContext context;
    t.Prepare(context);
    model::Response response;
    (void)stub->Call(&context, Req(id), &response);  // the original kit does not wait for the result
    ConnectionProbe c = t.NextConnection(CallKind::kEventSourced);
    c.ExpectIn(Init(kConfigured, id));
    Exchange(c, Cmd(id, 1, "Call", Req(id)), Reply(1, Rsp()));
    c.ExpectClosed(std::chrono::milliseconds(2000));
  }, ""});
  return cases;
}

}  // namespace cloudstate::tck
