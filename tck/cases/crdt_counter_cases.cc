// CR-M-03 .. CR-M-18: GCounter and PNCounter model cases.
#include "crdt_model_parts.h"

namespace cloudstate::tck::cr {
namespace {

std::vector<Case> GCounterCases() {
  std::vector<Case> cases;
  cases.push_back(InitialEmpty("CR-M-03", "GCounter", GC(0)));
  cases.push_back(M("CR-M-04", "verify GCounter state changes", "GCounter", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Gc(42)})));
    s.Expect(Reply(1, Rsp(GC(42)), {.update = gc(42)}));
    s.Send(Cmd(id, 2, Req(id, {Gc(1), Gc(2), Gc(3)})));
    s.Expect(Reply(2, Rsp(GC(48)), {.update = gc(6)}));
    s.Close();
  }));
  cases.push_back(M("CR-M-05", "verify GCounter initial delta in init", "GCounter", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id, gc(42)));
    s.Send(Cmd(id, 1, Req(id, {Gc(123)})));
    s.Expect(Reply(1, Rsp(GC(165)), {.update = gc(123)}));
    s.Close();
  }));
  cases.push_back(M("CR-M-06", "verify GCounter initial empty state with replicated initial delta", "GCounter",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(DeltaIn(gc(42)));
    s.Send(Cmd(id, 1, Req(id, {Gc(123)})));
    s.Expect(Reply(1, Rsp(GC(165)), {.update = gc(123)}));
    s.Close();
  }));
  cases.push_back(M("CR-M-07", "verify GCounter mix of local and replicated state changes", "GCounter",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Gc(1)})));
    s.Expect(Reply(1, Rsp(GC(1)), {.update = gc(1)}));
    s.Send(DeltaIn(gc(2)));
    s.Send(DeltaIn(gc(3)));
    s.Send(Cmd(id, 2, Req(id)));
    s.Expect(Reply(2, Rsp(GC(6))));
    s.Send(Cmd(id, 3, Req(id, {Gc(4)})));
    s.Expect(Reply(3, Rsp(GC(10)), {.update = gc(4)}));
    s.Send(DeltaIn(gc(5)));
    s.Send(Cmd(id, 4, Req(id, {Gc(6)})));
    s.Expect(Reply(4, Rsp(GC(21)), {.update = gc(6)}));
    s.Close();
  }));
  cases.push_back(M("CR-M-08", "verify GCounter rehydration after passivation", "GCounter", [](Tck& t, const std::string& id) {
    {
      Stream s = Open(t);
      s.Send(Init(kModel, id));
      s.Send(Cmd(id, 1, Req(id, {Gc(1)})));
      s.Expect(Reply(1, Rsp(GC(1)), {.update = gc(1)}));
      s.Send(DeltaIn(gc(2)));
      s.Send(Cmd(id, 2, Req(id)));
      s.Expect(Reply(2, Rsp(GC(3))));
      s.Send(Cmd(id, 3, Req(id, {Gc(3)})));
      s.Expect(Reply(3, Rsp(GC(6)), {.update = gc(3)}));
      s.Close();
    }
    Stream s = Open(t);
    s.Send(Init(kModel, id, gc(6)));
    s.Send(Cmd(id, 1, Req(id)));
    s.Expect(Reply(1, Rsp(GC(6))));
    s.Send(DeltaIn(gc(4)));
    s.Send(Cmd(id, 2, Req(id, {Gc(5)})));
    s.Expect(Reply(2, Rsp(GC(15)), {.update = gc(5)}));
    s.Close();
  }));
  cases.push_back(M("CR-M-09", "verify GCounter delete action received from entity", "GCounter",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Gc(42)})));
    s.Expect(Reply(1, Rsp(GC(42)), {.update = gc(42)}));
    s.Send(Cmd(id, 2, Req(id, {Del()})));
    s.Expect(Reply(2, Rsp(GC(42)), {.deleted = true}));
    s.Close();
  }));
  cases.push_back(DeleteSent("CR-M-10", "GCounter"));
  return cases;
}

std::vector<Case> PNCounterCases() {
  std::vector<Case> cases;
  cases.push_back(InitialEmpty("CR-M-11", "PNCounter", PN(0)));
  cases.push_back(M("CR-M-12", "verify PNCounter state changes", "PNCounter", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Pn(1), Pn(-2), Pn(3)})));
    s.Expect(Reply(1, Rsp(PN(2)), {.update = pn(2)}));
    s.Send(Cmd(id, 2, Req(id, {Pn(-4), Pn(5), Pn(-6)})));
    s.Expect(Reply(2, Rsp(PN(-3)), {.update = pn(-5)}));
    s.Close();
  }));
  cases.push_back(M("CR-M-13", "verify PNCounter initial delta in init", "PNCounter", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id, pn(42)));
    s.Send(Cmd(id, 1, Req(id, {Pn(-123)})));
    s.Expect(Reply(1, Rsp(PN(-81)), {.update = pn(-123)}));
    s.Close();
  }));
  cases.push_back(M("CR-M-14", "verify PNCounter initial empty state with replicated initial delta", "PNCounter",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(DeltaIn(pn(-42)));
    s.Send(Cmd(id, 1, Req(id, {Pn(123)})));
    s.Expect(Reply(1, Rsp(PN(81)), {.update = pn(123)}));
    s.Close();
  }));
  cases.push_back(M("CR-M-15", "verify PNCounter mix of local and replicated state changes", "PNCounter",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Pn(1)})));
    s.Expect(Reply(1, Rsp(PN(1)), {.update = pn(1)}));
    s.Send(DeltaIn(pn(-2)));
    s.Send(DeltaIn(pn(3)));
    s.Send(Cmd(id, 2, Req(id)));
    s.Expect(Reply(2, Rsp(PN(2))));
    s.Send(Cmd(id, 3, Req(id, {Pn(-4)})));
    s.Expect(Reply(3, Rsp(PN(-2)), {.update = pn(-4)}));
    s.Send(DeltaIn(pn(5)));
    s.Send(Cmd(id, 4, Req(id, {Pn(-6)})));
    s.Expect(Reply(4, Rsp(PN(-3)), {.update = pn(-6)}));
    s.Close();
  }));
  cases.push_back(M("CR-M-16", "verify PNCounter rehydration after passivation", "PNCounter", [](Tck& t, const std::string& id) {
    {
      Stream s = Open(t);
      s.Send(Init(kModel, id));
      s.Send(Cmd(id, 1, Req(id, {Pn(1)})));
      s.Expect(Reply(1, Rsp(PN(1)), {.update = pn(1)}));
      s.Send(DeltaIn(pn(-2)));
      s.Send(Cmd(id, 2, Req(id)));
      s.Expect(Reply(2, Rsp(PN(-1))));
      s.Send(Cmd(id, 3, Req(id, {Pn(3)})));
      s.Expect(Reply(3, Rsp(PN(2)), {.update = pn(3)}));
      s.Close();
    }
    Stream s = Open(t);
    s.Send(Init(kModel, id, pn(2)));
    s.Send(Cmd(id, 1, Req(id)));
    s.Expect(Reply(1, Rsp(PN(2))));
    s.Send(DeltaIn(pn(-4)));
    s.Send(Cmd(id, 2, Req(id, {Pn(5)})));
    s.Expect(Reply(2, Rsp(PN(3)), {.update = pn(5)}));
    s.Close();
  }));
  cases.push_back(M("CR-M-17", "verify PNCounter delete action received from entity", "PNCounter",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Pn(42)})));
    s.Expect(Reply(1, Rsp(PN(42)), {.update = pn(42)}));
    s.Send(Cmd(id, 2, Req(id, {Del()})));
    s.Expect(Reply(2, Rsp(PN(42)), {.deleted = true}));
    s.Close();
  }));
  cases.push_back(DeleteSent("CR-M-18", "PNCounter"));
  return cases;
}

}  // namespace

std::vector<Case> CounterCases() {
  std::vector<Case> cases = GCounterCases();
  for (Case& c : PNCounterCases()) cases.push_back(std::move(c));
  return cases;
}

}  // namespace cloudstate::tck::cr
