// ES-M-01 .. ES-M-21: the kit talks to the user function's EventSourced.handle directly.
#include "cases.h"
#include "discovery_checks.h"
#include "driver/model_stream.h"
#include "eventsourced_messages.h"
#include "cloudstate/event_sourced.grpc.pb.h"

namespace cloudstate::tck {
namespace {

using namespace es;  // NOLINT: the notation of the specification
using Stream = ModelStream<In, Out>;

Stream Open(Tck& t) {
  auto stub = std::shared_ptr(::cloudstate::eventsourced::EventSourced::NewStub(t.user_function()));
  return Stream(t, [stub](grpc::ClientContext* c) { return stub->handle(c); });
}

// One command that emits each of `values` in turn (and nothing else).
model::Request EmitAll(const std::string& id, const std::vector<std::string>& values) {
  model::Request request = Req(id);
  for (const auto& value : values) *request.add_actions() = Emit(value);
  return request;
}

Case M(std::string id, std::string name, std::function<void(Tck&, const std::string&)> body) {
  return Case{std::move(id), std::move(name), {kModel, kTwo}, Needs::kNothing,
              [body](Tck& t) { body(t, t.NextEventSourcedId()); }, ""};
}

}  // namespace

std::vector<Case> EventSourcedModelCases() {
  std::vector<Case> cases;
  cases.push_back({"ES-M-01", "verify event sourced entity discovery", {kModel, kTwo}, Needs::kNothing, [](Tck& t) {
    ExpectDeclared(t, kModel);
    ExpectDeclared(t, kTwo);
    ExpectEntity(t, kModel, kType, "event-sourced-tck-model");
    ExpectEntity(t, kTwo, kType);
  }, ""});
  cases.push_back({"ES-M-02", "verify event sourced configured entity", {kConfigured}, Needs::kNothing, [](Tck& t) {
    ExpectDeclared(t, kConfigured);
    ExpectEntity(t, kConfigured, kType, "event-sourced-configured", std::chrono::milliseconds(100));
  }, ""});
  cases.push_back(M("ES-M-03", "verify initial empty state", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, "Process", Req(id)));
    s.Expect(Reply(1, Rsp()));
    s.Close();
  }));
  cases.push_back(M("ES-M-04", "verify single emitted event", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, "Process", Req(id, {Emit("A")})));
    s.Expect(Reply(1, Rsp("A"), {.events = {"A"}}));
    s.Send(Cmd(id, 2, "Process", Req(id)));
    s.Expect(Reply(2, Rsp("A")));
    s.Close();
  }));
  cases.push_back(M("ES-M-05", "verify multiple emitted events", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, "Process", EmitAll(id, {"A", "B", "C"})));
    s.Expect(Reply(1, Rsp("ABC"), {.events = {"A", "B", "C"}}));
    s.Send(Cmd(id, 2, "Process", Req(id)));
    s.Expect(Reply(2, Rsp("ABC")));
    s.Close();
  }));
  cases.push_back(M("ES-M-06", "verify multiple emitted events and snapshots", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    struct Step { std::vector<std::string> emit; std::string state; bool snapshot; };
    const std::vector<Step> steps = {{{"A"}, "A", false},           {{"B"}, "AB", false},
                                     {{"C"}, "ABC", false},         {{"D"}, "ABCD", false},
                                     {{"E"}, "ABCDE", true},        {{"F", "G", "H"}, "ABCDEFGH", false},
                                     {{"I", "J"}, "ABCDEFGHIJ", true}, {{"K"}, "ABCDEFGHIJK", false},
                                     {{}, "ABCDEFGHIJK", false}};
    int64_t n = 0;
    for (const Step& step : steps) {
      ++n;
      s.Send(Cmd(id, n, "Process", EmitAll(id, step.emit)));
      Parts parts{.events = step.emit};
      if (step.snapshot) parts.snapshot = step.state;
      s.Expect(Reply(n, Rsp(step.state), parts));
    }
    s.Close();
  }));
  cases.push_back(M("ES-M-07", "verify initial snapshot", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id, std::pair<int64_t, std::string>{5, "ABCDE"}));
    s.Send(Cmd(id, 1, "Process", Req(id)));
    s.Expect(Reply(1, Rsp("ABCDE")));
    s.Close();
  }));
  cases.push_back(M("ES-M-08", "verify initial snapshot and events", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id, std::pair<int64_t, std::string>{5, "ABCDE"}));
    s.Send(Event(6, "F"));
    s.Send(Event(7, "G"));
    s.Send(Cmd(id, 1, "Process", Req(id)));
    s.Expect(Reply(1, Rsp("ABCDEFG")));
    s.Close();
  }));
  cases.push_back(M("ES-M-09", "verify rehydration after passivation", [](Tck& t, const std::string& id) {
    {
      Stream s = Open(t);
      s.Send(Init(kModel, id));
      s.Send(Cmd(id, 1, "Process", EmitAll(id, {"A", "B", "C"})));
      s.Expect(Reply(1, Rsp("ABC"), {.events = {"A", "B", "C"}}));
      s.Send(Cmd(id, 2, "Process", EmitAll(id, {"D", "E"})));
      s.Expect(Reply(2, Rsp("ABCDE"), {.events = {"D", "E"}, .snapshot = "ABCDE"}));
      s.Send(Cmd(id, 3, "Process", EmitAll(id, {"F"})));
      s.Expect(Reply(3, Rsp("ABCDEF"), {.events = {"F"}}));
      s.Send(Cmd(id, 4, "Process", EmitAll(id, {"G"})));
      s.Expect(Reply(4, Rsp("ABCDEFG"), {.events = {"G"}}));
      s.Close();
    }
    Stream s = Open(t);
    s.Send(Init(kModel, id, std::pair<int64_t, std::string>{5, "ABCDE"}));
    s.Send(Event(6, "F"));
    s.Send(Event(7, "G"));
    s.Send(Cmd(id, 1, "Process", Req(id)));
    s.Expect(Reply(1, Rsp("ABCDEFG")));
    s.Close();
  }));
  cases.push_back(M("ES-M-10", "verify forward to second service", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, "Process", EmitAll(id, {"A", "B", "C"})));
    s.Expect(Reply(1, Rsp("ABC"), {.events = {"A", "B", "C"}}));
    s.Send(Cmd(id, 2, "Process", Req(id, {Forward(id)})));
    s.Expect(Fwd(2, id));
    s.Send(Cmd(id, 3, "Process", Req(id)));
    s.Expect(Reply(3, Rsp("ABC")));
    s.Close();
  }));
  cases.push_back(M("ES-M-11", "verify forward with emitted events", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, "Process", Req(id, {Emit("A"), Forward(id)})));
    s.Expect(Fwd(1, id, {.events = {"A"}}));
    s.Close();
  }));
  cases.push_back(M("ES-M-12", "verify forward with emitted events and snapshot", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, "Process", EmitAll(id, {"A", "B", "C"})));
    s.Expect(Reply(1, Rsp("ABC"), {.events = {"A", "B", "C"}}));
    s.Send(Cmd(id, 2, "Process", Req(id, {Emit("D"), Emit("E"), Forward(id)})));
    s.Expect(Fwd(2, id, {.events = {"D", "E"}, .snapshot = "ABCDE"}));
    s.Close();
  }));
  cases.push_back(M("ES-M-13", "verify reply with side effect to second service", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, "Process", EmitAll(id, {"A", "B", "C"})));
    s.Expect(Reply(1, Rsp("ABC"), {.events = {"A", "B", "C"}}));
    s.Send(Cmd(id, 2, "Process", Req(id, {Effect(id)})));
    s.Expect(Reply(2, Rsp("ABC"), {.effects = {Se(id)}}));
    s.Send(Cmd(id, 3, "Process", Req(id)));
    s.Expect(Reply(3, Rsp("ABC")));
    s.Close();
  }));
  cases.push_back(M("ES-M-14", "verify synchronous side effect to second service", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, "Process", Req(id, {Effect(id, true)})));
    s.Expect(Reply(1, Rsp(), {.effects = {Se(id, true)}}));
    s.Close();
  }));
  cases.push_back(M("ES-M-15", "verify forward and side effect to second service", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, "Process", Req(id, {Effect(id), Forward(id)})));
    s.Expect(Fwd(1, id, {.effects = {Se(id)}}));
    s.Close();
  }));
  cases.push_back(M("ES-M-16", "verify reply with multiple side effects", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, "Process", Req(id, {Effect("1"), Effect("2"), Effect("3")})));
    s.Expect(Reply(1, Rsp(), {.effects = {Se("1"), Se("2"), Se("3")}}));
    s.Close();
  }));
  cases.push_back(M("ES-M-17", "verify reply with multiple side effects, events, and snapshot",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, "Process",
               Req(id, {Emit("A"), Emit("B"), Emit("C"), Emit("D"), Emit("E"), Effect("1"), Effect("2"), Effect("3")})));
    s.Expect(Reply(1, Rsp("ABCDE"),
                   {.events = {"A", "B", "C", "D", "E"}, .snapshot = "ABCDE", .effects = {Se("1"), Se("2"), Se("3")}}));
    s.Close();
  }));
  cases.push_back(M("ES-M-18", "verify failure action", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, "Process", Req(id, {FailWith("expected failure")})));
    s.Expect(Failure(1, "expected failure"));
    s.Close();
  }));
  cases.push_back(M("ES-M-19", "verify connection after failure action", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, "Process", Req(id, {Emit("A")})));
    s.Expect(Reply(1, Rsp("A"), {.events = {"A"}}));
    s.Send(Cmd(id, 2, "Process", Req(id, {FailWith("expected failure")})));
    s.Expect(Failure(2, "expected failure"));
    s.Send(Cmd(id, 3, "Process", Req(id)));
    s.Expect(Reply(3, Rsp("A")));
    s.Close();
  }));
  cases.push_back(M("ES-M-20", "verify failure actions do not retain emitted events (may request entity restart)",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, "Process", EmitAll(id, {"A", "B", "C"})));
    s.Expect(Reply(1, Rsp("ABC"), {.events = {"A", "B", "C"}}));
    s.Send(Cmd(id, 2, "Process", Req(id, {Emit("4"), Emit("5"), FailWith("failure 1")})));
    Out failed = s.Next("a failure for command 2");
    const auto& action = failed.reply().client_action();
    ExpectTrue(failed.has_reply() && action.has_failure() && action.failure().command_id() == 2 &&
                   action.failure().description() == "failure 1",
               "unexpected message from the function", "a reply with failure{command_id: 2, description: \"failure 1\"}",
               Describe(failed));
    if (!action.failure().restart()) {
      s.Send(Cmd(id, 3, "Process", Req(id, {Emit("D")})));
      s.Expect(Reply(3, Rsp("ABCD"), {.events = {"D"}}));
      s.Send(Cmd(id, 4, "Process", Req(id, {Emit("6"), FailWith("failure 2"), Emit("7")})));
      s.Expect(Failure(4, "failure 2"));
      s.Send(Cmd(id, 5, "Process", Req(id, {Emit("E")})));
      s.Expect(Reply(5, Rsp("ABCDE"), {.events = {"E"}, .snapshot = "ABCDE"}));
      s.Close();
      return;
    }
    s.Close();
    {
      Stream second = Open(t);
      second.Send(Init(kModel, id));
      second.Send(Event(1, "A"));
      second.Send(Event(2, "B"));
      second.Send(Event(3, "C"));
      second.Send(Cmd(id, 1, "Process", Req(id, {Emit("D")})));
      second.Expect(Reply(1, Rsp("ABCD"), {.events = {"D"}}));
      second.Send(Cmd(id, 2, "Process", Req(id, {Emit("6"), FailWith("failure 2"), Emit("7")})));
      second.Expect(Failure(2, "failure 2", true));
      second.Close();
    }
    Stream third = Open(t);
    third.Send(Init(kModel, id));
    for (int64_t n = 1; n <= 4; ++n) third.Send(Event(n, std::string(1, static_cast<char>('A' + n - 1))));
    third.Send(Cmd(id, 1, "Process", Req(id, {Emit("E")})));
    third.Expect(Reply(1, Rsp("ABCDE"), {.events = {"E"}, .snapshot = "ABCDE"}));
    third.Close();
  }));
  cases.push_back(M("ES-M-21", "verify failure actions do not allow side effects", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, "Process", Req(id, {Effect(id), FailWith("expected failure")})));
    s.Expect(Failure(1, "expected failure"));
    s.Close();
  }));
  return cases;
}

}  // namespace cloudstate::tck
