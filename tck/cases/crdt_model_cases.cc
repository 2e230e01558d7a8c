// CR-M-01 .. CR-M-82: the kit talks to the user function's Crdt.handle directly. This file holds
// what the kinds share, discovery, forwards and side effects, failures, streamed commands and write
// consistency; the per-kind cases are in crdt_{counter,set,register,map,vote}_cases.cc.
#include <algorithm>

#include <google/protobuf/wrappers.pb.h>

#include "cases.h"
#include "cloudstate/crdt.grpc.pb.h"
#include "crdt_model_parts.h"
#include "discovery_checks.h"

namespace cloudstate::tck {
namespace cr {
namespace {

std::string TextOf(const google::protobuf::Any& any) {
  google::protobuf::StringValue text;
  text.ParseFromString(any.value());
  return text.value();
}

template <typename List, typename Key>
void SortBy(List* list, Key key) {
  std::sort(list->begin(), list->end(), [&key](const auto& a, const auto& b) { return key(a) < key(b); });
}

// The original kit's normalisation of a received delta: set elements, removed keys and map entries
// in the order of their strings, nested deltas included.
void SortDelta(Delta& delta) {
  auto entry_key = [](const wire::ORMapEntryDelta& entry) { return TextOf(entry.key()); };
  switch (delta.delta_case()) {
    case Delta::kGset: SortBy(delta.mutable_gset()->mutable_added(), TextOf); break;
    case Delta::kOrset:
      SortBy(delta.mutable_orset()->mutable_removed(), TextOf);
      SortBy(delta.mutable_orset()->mutable_added(), TextOf);
      break;
    case Delta::kOrmap: {
      wire::ORMapDelta* map = delta.mutable_ormap();
      SortBy(map->mutable_removed(), TextOf);
      SortBy(map->mutable_updated(), entry_key);
      SortBy(map->mutable_added(), entry_key);
      for (auto& entry : *map->mutable_updated()) SortDelta(*entry.mutable_delta());
      for (auto& entry : *map->mutable_added()) SortDelta(*entry.mutable_delta());
      break;
    }
    default: break;
  }
}

cmodel::StreamedRequest Sr() { return cmodel::StreamedRequest(); }

}  // namespace

Stream Open(Tck& t) {
  auto stub = std::shared_ptr(wire::Crdt::NewStub(t.user_function()));
  return Stream(t, [stub](grpc::ClientContext* c) { return stub->handle(c); });
}

Case M(std::string id, std::string name, std::string kind, std::function<void(Tck&, const std::string&)> body) {
  return Case{std::move(id), std::move(name), {kModel, kTwo}, Needs::kNothing,
              [kind, body](Tck& t) { body(t, t.NextCrdtId(kind)); }, ""};
}

void ExpectSorted(Stream& s, const Out& expected) {
  Out actual = s.Next(Describe(expected));
  if (actual.reply().state_action().has_update()) SortDelta(*actual.mutable_reply()->mutable_state_action()->mutable_update());
  ExpectEqual(expected, actual, "unexpected message from the function (update delta sorted)");
}

Case InitialEmpty(std::string id, std::string kind, cmodel::State empty, Parts parts) {
  return M(std::move(id), "verify " + kind + " initial empty state", kind, [empty, parts](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id)));
    s.Expect(Reply(1, Rsp(empty), parts));
    s.Close();
  });
}

Case DeleteSent(std::string id, std::string kind) {
  return M(std::move(id), "verify " + kind + " delete action sent to entity", kind, [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(DeleteIn());
    s.Close();
  });
}

namespace {

std::vector<Case> ModelDiscoveryCases() {
  std::vector<Case> cases;
  cases.push_back({"CR-M-01", "verify CRDT entity discovery", {kModel, kTwo}, Needs::kNothing, [](Tck& t) {
    ExpectDeclared(t, kModel);
    ExpectDeclared(t, kTwo);
    ExpectEntity(t, kModel, kType);
    ExpectEntity(t, kTwo, kType);
  }, ""});
  cases.push_back({"CR-M-02", "verify CRDT configured entity", {kConfigured}, Needs::kNothing, [](Tck& t) {
    ExpectDeclared(t, kConfigured);
    ExpectEntity(t, kConfigured, kType, std::nullopt, std::chrono::milliseconds(100));
  }, ""});
  return cases;
}

std::vector<Case> ForwardAndEffectCases() {
  std::vector<Case> cases;
  cases.push_back(M("CR-M-68", "verify forward to second service (GCounter)", "GCounter", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Gc(42)})));
    s.Expect(Reply(1, Rsp(GC(42)), {.update = gc(42)}));
    s.Send(Cmd(id, 2, Req(id, {FwdTo("X-" + id)})));
    s.Expect(Fwd(2, "X-" + id));
    s.Send(Cmd(id, 3, Req(id)));
    s.Expect(Reply(3, Rsp(GC(42))));
    s.Close();
  }));
  cases.push_back(M("CR-M-69", "verify forward with state changes (PNCounter)", "PNCounter", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Pn(-42), FwdTo("X-" + id)})));
    s.Expect(Fwd(1, "X-" + id, {.update = pn(-42)}));
    s.Close();
  }));
  cases.push_back(M("CR-M-70", "verify reply with side effect to second service (GSet)", "GSet",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Gs("one")})));
    s.Expect(Reply(1, Rsp(GS({"one"})), {.update = gs({"one"})}));
    s.Send(Cmd(id, 2, Req(id, {Eff("X-" + id)})));
    s.Expect(Reply(2, Rsp(GS({"one"})), {.effects = {Se("X-" + id)}}));
    s.Send(Cmd(id, 3, Req(id)));
    s.Expect(Reply(3, Rsp(GS({"one"}))));
    s.Close();
  }));
  cases.push_back(M("CR-M-71", "verify synchronous side effect to second service (ORSet)", "ORSet",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Eff("X-" + id, true)})));
    s.Expect(Reply(1, Rsp(OS({})), {.effects = {Se("X-" + id, true)}}));
    s.Close();
  }));
  cases.push_back(M("CR-M-72", "verify forward and side effect to second service (LWWRegister)", "LWWRegister",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Eff("B-" + id), FwdTo("A-" + id)})));
    // The new register's initial write rides along.
    s.Expect(Fwd(1, "A-" + id, {.update = lww(""), .effects = {Se("B-" + id)}}));
    s.Close();
  }));
  cases.push_back(M("CR-M-73", "verify reply with multiple side effects (Flag)", "Flag", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Eff("1"), Eff("2"), Eff("3")})));
    s.Expect(Reply(1, Rsp(FL(false)), {.effects = {Se("1"), Se("2"), Se("3")}}));
    s.Close();
  }));
  cases.push_back(M("CR-M-74", "verify reply with multiple side effects and state changes (ORMap)", "ORMap",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {MapAdd("PNCounter-1"), MapAt("GSet-1", Gs("a")), MapAt("GSet-1", Gs("b")),
                               MapAt("GSet-1", Gs("c")), Eff("1"), Eff("2"), Eff("3")})));
    ExpectSorted(s, Reply(1, Rsp(OM({{"GSet-1", GS({"a", "b", "c"})}, {"PNCounter-1", PN(0)}})),
                          {.update = om({.added = {{"GSet-1", gs({"a", "b", "c"})}, {"PNCounter-1", pn(0)}}}),
                           .effects = {Se("1"), Se("2"), Se("3")}}));
    s.Close();
  }));
  return cases;
}

std::vector<Case> FailureCases() {
  std::vector<Case> cases;
  cases.push_back(M("CR-M-75", "verify failure action (GCounter)", "GCounter", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {FailWith("expected failure")})));
    s.Expect(Failure(1, "expected failure"));
    s.Close();
  }));
  cases.push_back(M("CR-M-76", "verify connection after failure action (PNCounter)", "PNCounter",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Pn(42)})));
    s.Expect(Reply(1, Rsp(PN(42)), {.update = pn(42)}));
    s.Send(Cmd(id, 2, Req(id, {FailWith("expected failure")})));
    s.Expect(Failure(2, "expected failure"));
    s.Send(Cmd(id, 3, Req(id)));
    s.Expect(Reply(3, Rsp(PN(42))));
    s.Close();
  }));
  return cases;
}

std::vector<Case> StreamedCases() {
  std::vector<Case> cases;
  cases.push_back(M("CR-M-77", "verify streamed responses (GCounter)", "GCounter", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(SCmd(id, 1, Sr()));
    s.Expect(Reply(1, Rsp(GC(0)), {.streamed = true}));
    uint64_t total = 0;
    for (uint64_t n = 1; n <= 3; ++n) {
      total += n;
      s.Send(Cmd(id, n + 1, Req(id, {Gc(n)})));
      s.Expect(Reply(n + 1, Rsp(GC(total)), {.update = gc(n)}));
      s.Expect(Streamed(1, Rsp(GC(total))));
    }
    s.Close();
  }));
  cases.push_back(M("CR-M-78", "verify streamed responses with stream ending action (GCounter)", "GCounter",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    cmodel::StreamedRequest request;
    *request.mutable_end_state() = GC(3);
    s.Send(SCmd(id, 1, request));
    s.Expect(Reply(1, Rsp(GC(0)), {.streamed = true}));
    s.Send(Cmd(id, 2, Req(id, {Gc(1)})));
    s.Expect(Reply(2, Rsp(GC(1)), {.update = gc(1)}));
    s.Expect(Streamed(1, Rsp(GC(1))));
    s.Send(Cmd(id, 3, Req(id, {Gc(2)})));
    s.Expect(Reply(3, Rsp(GC(3)), {.update = gc(2)}));
    s.Expect(Streamed(1, Rsp(GC(3)), {}, true));
    s.Send(Cmd(id, 4, Req(id, {Gc(3)})));
    s.Expect(Reply(4, Rsp(GC(6)), {.update = gc(3)}));
    s.Close();
  }));
  cases.push_back(M("CR-M-79", "verify streamed responses with cancellation (PNCounter)", "PNCounter",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    cmodel::StreamedRequest request;
    *request.mutable_cancel_update() = Pn(-42).update();
    s.Send(SCmd(id, 1, request));
    s.Expect(Reply(1, Rsp(PN(0)), {.streamed = true}));
    s.Send(Cmd(id, 2, Req(id, {Pn(10)})));
    s.Expect(Reply(2, Rsp(PN(10)), {.update = pn(10)}));
    s.Expect(Streamed(1, Rsp(PN(10))));
    s.Send(Cmd(id, 3, Req(id, {Pn(20)})));
    s.Expect(Reply(3, Rsp(PN(30)), {.update = pn(20)}));
    s.Expect(Streamed(1, Rsp(PN(30))));
    s.Send(Cancel(id, 1));
    s.Expect(Cancelled(1, pn(-42)));
    s.Send(Cmd(id, 4, Req(id)));
    s.Expect(Reply(4, Rsp(PN(-12))));
    s.Send(Cmd(id, 5, Req(id, {Pn(30)})));
    s.Expect(Reply(5, Rsp(PN(18)), {.update = pn(30)}));
    s.Close();
  }));
  cases.push_back(M("CR-M-80", "verify empty streamed responses with cancellation (PNCounter)", "PNCounter",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Pn(10)})));
    s.Expect(Reply(1, Rsp(PN(10)), {.update = pn(10)}));
    cmodel::StreamedRequest request;
    *request.mutable_cancel_update() = Pn(-42).update();
    request.set_empty(true);
    s.Send(SCmd(id, 2, request));
    s.Expect(NoAction(2, {.streamed = true}));
    s.Send(Cancel(id, 2));
    s.Expect(Cancelled(2, pn(-42)));
    s.Send(Cmd(id, 3, Req(id)));
    s.Expect(Reply(3, Rsp(PN(-32))));
    s.Close();
  }));
  cases.push_back(M("CR-M-81", "verify streamed responses with side effects (GSet)", "GSet", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    cmodel::StreamedRequest request;
    request.add_effects()->set_id("one");
    auto* two = request.add_effects();
    two->set_id("two");
    two->set_synchronous(true);
    s.Send(SCmd(id, 1, request));
    s.Expect(Reply(1, Rsp(GS({})), {.streamed = true}));
    s.Send(Cmd(id, 2, Req(id, {Gs("a")})));
    s.Expect(Reply(2, Rsp(GS({"a"})), {.update = gs({"a"})}));
    s.Expect(Streamed(1, Rsp(GS({"a"})), {Se("one"), Se("two", true)}));
    s.Send(Cmd(id, 3, Req(id, {Gs("b")})));
    s.Expect(Reply(3, Rsp(GS({"a", "b"})), {.update = gs({"b"})}));
    s.Expect(Streamed(1, Rsp(GS({"a", "b"})), {Se("one"), Se("two", true)}));
    s.Close();
  }));
  return cases;
}

Case WriteConsistencyCase() {
  return M("CR-M-82", "verify write consistency can be configured (GCounter)", "GCounter", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Wc(Gc(1), cmodel::LOCAL)})));
    s.Expect(Reply(1, Rsp(GC(1)), {.update = gc(1), .consistency = wire::LOCAL}));
    s.Send(Cmd(id, 2, Req(id, {Wc(Gc(2), cmodel::MAJORITY)})));
    s.Expect(Reply(2, Rsp(GC(3)), {.update = gc(2), .consistency = wire::MAJORITY}));
    s.Send(Cmd(id, 3, Req(id, {Wc(Gc(3), cmodel::ALL)})));
    s.Expect(Reply(3, Rsp(GC(6)), {.update = gc(3), .consistency = wire::ALL}));
    s.Close();
  });
}

}  // namespace
}  // namespace cr

std::vector<Case> CrdtModelCases() {
  std::vector<Case> cases;
  for (auto part : {cr::ModelDiscoveryCases, cr::CounterCases, cr::SetCases, cr::RegisterCases, cr::MapCases,
                    cr::VoteCases, cr::ForwardAndEffectCases, cr::FailureCases, cr::StreamedCases}) {
    for (Case& c : part()) cases.push_back(std::move(c));
  }
  cases.push_back(cr::WriteConsistencyCase());
  return cases;
}

}  // namespace cloudstate::tck
