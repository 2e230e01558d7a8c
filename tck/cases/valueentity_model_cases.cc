// VE-M-01 .. VE-M-19: the kit talks to the user function's ValueEntity.handle directly.
#include "cases.h"
#include "cloudstate/value_entity.grpc.pb.h"
#include "discovery_checks.h"
#include "driver/model_stream.h"
#include "valueentity_messages.h"

namespace cloudstate::tck {
namespace {

using namespace ve;  // NOLINT: the notation of the specification
using Stream = ModelStream<In, Out>;

Stream Open(Tck& t) {
  auto stub = std::shared_ptr(::cloudstate::valueentity::ValueEntity::NewStub(t.user_function()));
  return Stream(t, [stub](grpc::ClientContext* c) { return stub->handle(c); });
}

// One stream: init, then each (request, expected reply) in turn, then the kit half-closes.
struct Step {
  vmodel::Request request;
  Out reply;
};
void Converse(Tck& t, const std::string& id, const std::vector<Step>& steps, std::optional<std::string> state = {}) {
  Stream s = Open(t);
  s.Send(Init(kModel, id, state));
  int64_t n = 0;
  for (const Step& step : steps) {
    s.Send(Cmd(id, ++n, "Process", step.request));
    s.Expect(step.reply);
  }
  s.Close();
}

Case M(std::string id, std::string name, std::function<void(Tck&, const std::string&)> body) {
  return Case{std::move(id), std::move(name), {kModel, kTwo}, Needs::kNothing,
              [body](Tck& t) { body(t, t.NextValueEntityId()); }, ""};
}

}  // namespace

std::vector<Case> ValueEntityModelCases() {
  std::vector<Case> cases;
  cases.push_back({"VE-M-01", "verify entity discovery", {kModel, kTwo}, Needs::kNothing, [](Tck& t) {
    ExpectDeclared(t, kModel);
    ExpectDeclared(t, kTwo);
    ExpectEntity(t, kModel, kType, "value-entity-tck-model");
    ExpectEntity(t, kTwo, kType, "value-entity-tck-model-two");
  }, ""});
  cases.push_back({"VE-M-02", "verify configured entity", {kConfigured}, Needs::kNothing, [](Tck& t) {
    ExpectDeclared(t, kConfigured);
    ExpectEntity(t, kConfigured, kType, "value-entity-configured", std::chrono::milliseconds(100));
  }, ""});
  cases.push_back(M("VE-M-03", "verify initial empty state", [](Tck& t, const std::string& id) {
    Converse(t, id, {{Req(id), Reply(1, Rsp())}});
  }));
  cases.push_back(M("VE-M-04", "verify update state", [](Tck& t, const std::string& id) {
    Converse(t, id, {{Req(id, {Update("A")}), Reply(1, Rsp("A"), {.update = "A"})}, {Req(id), Reply(2, Rsp("A"))}});
  }));
  cases.push_back(M("VE-M-05", "verify delete state", [](Tck& t, const std::string& id) {
    Converse(t, id, {{Req(id, {Update("A")}), Reply(1, Rsp("A"), {.update = "A"})},
                     {Req(id, {Delete()}), Reply(2, Rsp(), {.deleted = true})},
                     {Req(id), Reply(3, Rsp())}});
  }));
  cases.push_back(M("VE-M-06", "verify sub invocations with multiple update states", [](Tck& t, const std::string& id) {
    Converse(t, id, {{Req(id, {Update("A"), Update("B"), Update("C")}), Reply(1, Rsp("C"), {.update = "C"})},
                     {Req(id), Reply(2, Rsp("C"))}});
  }));
  cases.push_back(M("VE-M-07", "verify sub invocations with multiple update states and delete states",
                    [](Tck& t, const std::string& id) {
    Converse(t, id, {{Req(id, {Update("A"), Update("B"), Delete()}), Reply(1, Rsp(), {.deleted = true})},
                     {Req(id), Reply(2, Rsp())}});
  }));
  cases.push_back(M("VE-M-08", "verify sub invocations with update, delete and update states",
                    [](Tck& t, const std::string& id) {
    Converse(t, id, {{Req(id, {Update("A"), Delete(), Update("B")}), Reply(1, Rsp("B"), {.update = "B"})},
                     {Req(id), Reply(2, Rsp("B"))}});
  }));
  cases.push_back(M("VE-M-09", "verify rehydration after passivation", [](Tck& t, const std::string& id) {
    std::vector<Step> steps;
    int64_t n = 0;
    for (const char* value : {"A", "B", "C", "D"}) steps.push_back({Req(id, {Update(value)}), Reply(++n, Rsp(value), {.update = value})});
    Converse(t, id, steps);
    Converse(t, id, {{Req(id, {Update("E")}), Reply(1, Rsp("E"), {.update = "E"})}, {Req(id), Reply(2, Rsp("E"))}},
             "D");
  }));
  cases.push_back(M("VE-M-10", "verify reply with multiple side effects", [](Tck& t, const std::string& id) {
    Converse(t, id, {{Req(id, {Effect("1"), Effect("2"), Effect("3")}),
                      Reply(1, Rsp(), {.effects = {Se("1"), Se("2"), Se("3")}})}});
  }));
  cases.push_back(M("VE-M-11", "verify reply with side effect to second service", [](Tck& t, const std::string& id) {
    Converse(t, id, {{Req(id, {Update("X")}), Reply(1, Rsp("X"), {.update = "X"})},
                     {Req(id, {Effect(id)}), Reply(2, Rsp("X"), {.effects = {Se(id)}})},
                     {Req(id), Reply(3, Rsp("X"))}});
  }));
  cases.push_back(M("VE-M-12", "verify reply with multiple side effects and state", [](Tck& t, const std::string& id) {
    Converse(t, id, {{Req(id, {Update("A"), Update("B"), Update("C"), Update("D"), Update("E"), Effect("1"), Effect("2"),
                               Effect("3")}),
                      Reply(1, Rsp("E"), {.update = "E", .effects = {Se("1"), Se("2"), Se("3")}})}});
  }));
  cases.push_back(M("VE-M-13", "verify synchronous side effect to second service", [](Tck& t, const std::string& id) {
    Converse(t, id, {{Req(id, {Effect(id, true)}), Reply(1, Rsp(), {.effects = {Se(id, true)}})}});
  }));
  cases.push_back(M("VE-M-14", "verify forward to second service", [](Tck& t, const std::string& id) {
    Converse(t, id, {{Req(id, {Update("X")}), Reply(1, Rsp("X"), {.update = "X"})},
                     {Req(id, {Forward(id)}), Fwd(2, id)},
                     {Req(id), Reply(3, Rsp("X"))}});
  }));
  cases.push_back(M("VE-M-15", "verify forward with updated state to second service", [](Tck& t, const std::string& id) {
    Converse(t, id, {{Req(id, {Update("A"), Forward(id)}), Fwd(1, id, {.update = "A"})}});
  }));
  cases.push_back(M("VE-M-16", "verify forward and side effect to second service", [](Tck& t, const std::string& id) {
    Converse(t, id, {{Req(id, {Effect(id), Forward(id)}), Fwd(1, id, {.effects = {Se(id)}})}});
  }));
  cases.push_back(M("VE-M-17", "verify failure action", [](Tck& t, const std::string& id) {
    Converse(t, id, {{Req(id, {FailWith("expected failure")}), Failure(1, "expected failure")}});
  }));
  cases.push_back(M("VE-M-18", "verify connection after failure action", [](Tck& t, const std::string& id) {
    Converse(t, id, {{Req(id, {Update("A")}), Reply(1, Rsp("A"), {.update = "A"})},
                     {Req(id, {FailWith("expected failure")}), Failure(2, "expected failure")},
                     {Req(id), Reply(3, Rsp("A"))}});
  }));
  cases.push_back(M("VE-M-19", "verify failure action do not allow side effects", [](Tck& t, const std::string& id) {
    Converse(t, id, {{Req(id, {Effect(id), FailWith("expected failure")}), Failure(1, "expected failure")}});
  }));
  return cases;
}

}  // namespace cloudstate::tck
