// CR-M-35 .. CR-M-51: LWWRegister and Flag model cases.
#include "crdt_model_parts.h"

namespace cloudstate::tck::cr {
namespace {

std::vector<Case> LwwRegisterCases() {
  std::vector<Case> cases;
  // A register the function creates sends its initial "" with the first reply.
  cases.push_back(InitialEmpty("CR-M-35", "LWWRegister", LW(""), {.update = lww("")}));
  cases.push_back(M("CR-M-36", "verify LWWRegister state changes", "LWWRegister", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Lww("one")})));
    s.Expect(Reply(1, Rsp(LW("one")), {.update = lww("one")}));
    s.Send(Cmd(id, 2, Req(id, {Lww("two")})));
    s.Expect(Reply(2, Rsp(LW("two")), {.update = lww("two")}));
    s.Close();
  }));
  cases.push_back(M("CR-M-37", "verify LWWRegister initial delta in init", "LWWRegister", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id, lww("one")));
    s.Send(Cmd(id, 1, Req(id)));
    s.Expect(Reply(1, Rsp(LW("one"))));
    s.Close();
  }));
  cases.push_back(M("CR-M-38", "verify LWWRegister initial empty state with replicated initial delta", "LWWRegister",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(DeltaIn(lww("one")));
    s.Send(Cmd(id, 1, Req(id)));
    s.Expect(Reply(1, Rsp(LW("one"))));
    s.Close();
  }));
  cases.push_back(M("CR-M-39", "verify LWWRegister mix of local and replicated state changes", "LWWRegister",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Lww("A")})));
    s.Expect(Reply(1, Rsp(LW("A")), {.update = lww("A")}));
    s.Send(DeltaIn(lww("B")));
    s.Send(DeltaIn(lww("C")));
    s.Send(Cmd(id, 2, Req(id)));
    s.Expect(Reply(2, Rsp(LW("C"))));
    s.Send(Cmd(id, 3, Req(id, {Lww("D")})));
    s.Expect(Reply(3, Rsp(LW("D")), {.update = lww("D")}));
    s.Send(DeltaIn(lww("D")));
    s.Send(Cmd(id, 4, Req(id, {Lww("E")})));
    s.Expect(Reply(4, Rsp(LW("E")), {.update = lww("E")}));
    s.Close();
  }));
  cases.push_back(M("CR-M-40", "verify LWWRegister state changes with clock settings", "LWWRegister",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Lww("A", cmodel::REVERSE)})));
    s.Expect(Reply(1, Rsp(LW("A")), {.update = lww("A", wire::REVERSE)}));
    // The original kit sends command id 2 twice.
    s.Send(Cmd(id, 2, Req(id, {Lww("A", cmodel::CUSTOM, 123)})));
    s.Expect(Reply(2, Rsp(LW("A")), {.update = lww("A", wire::CUSTOM, 123)}));
    s.Send(Cmd(id, 2, Req(id, {Lww("A", cmodel::CUSTOM_AUTO_INCREMENT, 456)})));
    s.Expect(Reply(2, Rsp(LW("A")), {.update = lww("A", wire::CUSTOM_AUTO_INCREMENT, 456)}));
    s.Close();
  }));
  cases.push_back(M("CR-M-41", "verify LWWRegister rehydration after passivation", "LWWRegister",
                    [](Tck& t, const std::string& id) {
    {
      Stream s = Open(t);
      s.Send(Init(kModel, id));
      s.Send(Cmd(id, 1, Req(id, {Lww("A")})));
      s.Expect(Reply(1, Rsp(LW("A")), {.update = lww("A")}));
      s.Send(DeltaIn(lww("B")));
      s.Send(Cmd(id, 2, Req(id)));
      s.Expect(Reply(2, Rsp(LW("B"))));
      s.Send(Cmd(id, 3, Req(id, {Lww("C")})));
      s.Expect(Reply(3, Rsp(LW("C")), {.update = lww("C")}));
      s.Close();
    }
    Stream s = Open(t);
    s.Send(Init(kModel, id, lww("C")));
    s.Send(Cmd(id, 1, Req(id)));
    s.Expect(Reply(1, Rsp(LW("C"))));
    s.Send(DeltaIn(lww("D")));
    s.Send(Cmd(id, 2, Req(id, {Lww("E")})));
    s.Expect(Reply(2, Rsp(LW("E")), {.update = lww("E")}));
    s.Close();
  }));
  cases.push_back(M("CR-M-42", "verify LWWRegister delete action received from entity", "LWWRegister",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Lww("one")})));
    s.Expect(Reply(1, Rsp(LW("one")), {.update = lww("one")}));
    s.Send(Cmd(id, 2, Req(id, {Del()})));
    s.Expect(Reply(2, Rsp(LW("one")), {.deleted = true}));
    s.Close();
  }));
  cases.push_back(DeleteSent("CR-M-43", "LWWRegister"));
  return cases;
}

std::vector<Case> FlagCases() {
  std::vector<Case> cases;
  cases.push_back(InitialEmpty("CR-M-44", "Flag", FL(false)));
  cases.push_back(M("CR-M-45", "verify Flag state changes", "Flag", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {FlagOn()})));
    s.Expect(Reply(1, Rsp(FL(true)), {.update = fl(true)}));
    s.Close();
  }));
  cases.push_back(M("CR-M-46", "verify Flag initial delta in init", "Flag", [](Tck& t, const std::string& id) {
    for (bool value : {false, true}) {
      Stream s = Open(t);
      s.Send(Init(kModel, id, fl(value)));
      s.Send(Cmd(id, 1, Req(id)));
      s.Expect(Reply(1, Rsp(FL(value))));
      s.Close();
    }
  }));
  cases.push_back(M("CR-M-47", "verify Flag initial empty state with replicated initial delta", "Flag",
                    [](Tck& t, const std::string& id) {
    for (bool value : {false, true}) {
      Stream s = Open(t);
      s.Send(Init(kModel, id));
      s.Send(DeltaIn(fl(value)));
      s.Send(Cmd(id, 1, Req(id)));
      s.Expect(Reply(1, Rsp(FL(value))));
      s.Close();
    }
  }));
  cases.push_back(M("CR-M-48", "verify Flag mix of local and replicated state changes", "Flag",
                    [](Tck& t, const std::string& id) {
    // A delta saying false never switches the flag off again.
    for (bool first : {false, true}) {
      Stream s = Open(t);
      s.Send(Init(kModel, id));
      s.Send(DeltaIn(fl(first)));
      s.Send(Cmd(id, 1, Req(id)));
      s.Expect(Reply(1, Rsp(FL(first))));
      s.Send(Cmd(id, 2, Req(id, {FlagOn()})));
      s.Expect(first ? Reply(2, Rsp(FL(true))) : Reply(2, Rsp(FL(true)), {.update = fl(true)}));
      s.Send(DeltaIn(fl(true)));
      s.Send(DeltaIn(fl(false)));
      s.Send(Cmd(id, 3, Req(id)));
      s.Expect(Reply(3, Rsp(FL(true))));
      s.Close();
    }
  }));
  cases.push_back(M("CR-M-49", "verify Flag rehydration after passivation", "Flag", [](Tck& t, const std::string& id) {
    {
      Stream s = Open(t);
      s.Send(Init(kModel, id));
      s.Send(Cmd(id, 1, Req(id)));
      s.Expect(Reply(1, Rsp(FL(false))));
      s.Send(Cmd(id, 2, Req(id, {FlagOn()})));
      s.Expect(Reply(2, Rsp(FL(true)), {.update = fl(true)}));
      s.Close();
    }
    Stream s = Open(t);
    s.Send(Init(kModel, id, fl(true)));
    s.Send(Cmd(id, 1, Req(id)));
    s.Expect(Reply(1, Rsp(FL(true))));
    s.Close();
  }));
  cases.push_back(M("CR-M-50", "verify Flag delete action received from entity", "Flag", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {FlagOn()})));
    s.Expect(Reply(1, Rsp(FL(true)), {.update = fl(true)}));
    s.Send(Cmd(id, 2, Req(id, {Del()})));
    s.Expect(Reply(2, Rsp(FL(true)), {.deleted = true}));
    s.Close();
  }));
  cases.push_back(DeleteSent("CR-M-51", "Flag"));
  return cases;
}

}  // namespace

std::vector<Case> RegisterCases() {
  std::vector<Case> cases = LwwRegisterCases();
  for (Case& c : FlagCases()) cases.push_back(std::move(c));
  return cases;
}

}  // namespace cloudstate::tck::cr
