// CR-M-52 .. CR-M-59: ORMap model cases; the kind of each value is named by its key.
#include "crdt_model_parts.h"

namespace cloudstate::tck::cr {
namespace {

void StateChanges(Tck& t, const std::string& id) {
  Stream s = Open(t);
  s.Send(Init(kModel, id));
  s.Send(Cmd(id, 1, Req(id, {MapAdd("PNCounter-1"), MapAdd("ORSet-1")})));
  ExpectSorted(s, Reply(1, Rsp(OM({{"ORSet-1", OS({})}, {"PNCounter-1", PN(0)}})),
                        {.update = om({.added = {{"ORSet-1", os({})}, {"PNCounter-1", pn(0)}}})}));
  s.Send(Cmd(id, 2, Req(id, {MapAdd("ORSet-1"), MapAt("LWWRegister-1", Lww("zero"))})));
  ExpectSorted(s, Reply(2, Rsp(OM({{"LWWRegister-1", LW("zero")}, {"ORSet-1", OS({})}, {"PNCounter-1", PN(0)}})),
                        {.update = om({.added = {{"LWWRegister-1", lww("zero")}}})}));
  s.Send(Cmd(id, 3, Req(id, {MapAt("PNCounter-1", Pn(42)), MapAt("LWWRegister-1", Lww("one"))})));
  ExpectSorted(s, Reply(3, Rsp(OM({{"LWWRegister-1", LW("one")}, {"ORSet-1", OS({})}, {"PNCounter-1", PN(42)}})),
                        {.update = om({.updated = {{"LWWRegister-1", lww("one")}, {"PNCounter-1", pn(42)}}})}));
  s.Send(Cmd(id, 4, Req(id, {MapAt("ORSet-1", OsAdd("a")), MapAt("ORSet-1", OsAdd("b")), MapAt("ORSet-1", OsAdd("c"))})));
  ExpectSorted(s, Reply(4, Rsp(OM({{"LWWRegister-1", LW("one")}, {"ORSet-1", OS({"a", "b", "c"})}, {"PNCounter-1", PN(42)}})),
                        {.update = om({.updated = {{"ORSet-1", os({.added = {"a", "b", "c"}})}}})}));
  s.Send(Cmd(id, 5, Req(id, {MapAt("ORSet-1", OsRemove("b")), MapAt("ORSet-1", OsAdd("d")),
                             MapAt("PNCounter-1", Pn(-123)), MapAt("LWWRegister-1", Lww("two"))})));
  ExpectSorted(s, Reply(5, Rsp(OM({{"LWWRegister-1", LW("two")}, {"ORSet-1", OS({"a", "c", "d"})}, {"PNCounter-1", PN(-81)}})),
                        {.update = om({.updated = {{"LWWRegister-1", lww("two")},
                                                   {"ORSet-1", os({.removed = {"b"}, .added = {"d"}})},
                                                   {"PNCounter-1", pn(-123)}}})}));
  s.Send(Cmd(id, 6, Req(id, {MapRemove("ORSet-1")})));
  ExpectSorted(s, Reply(6, Rsp(OM({{"LWWRegister-1", LW("two")}, {"PNCounter-1", PN(-81)}})),
                        {.update = om({.removed = {"ORSet-1"}})}));
  s.Send(Cmd(id, 7, Req(id, {MapRemove("LWWRegister-1"), MapAt("Flag-1", FlagOn())})));
  ExpectSorted(s, Reply(7, Rsp(OM({{"Flag-1", FL(true)}, {"PNCounter-1", PN(-81)}})),
                        {.update = om({.removed = {"LWWRegister-1"}, .added = {{"Flag-1", fl(true)}}})}));
  s.Send(Cmd(id, 8, Req(id, {MapClear()})));
  s.Expect(Reply(8, Rsp(OM({})), {.update = om({.cleared = true})}));
  s.Send(Cmd(id, 9, Req(id, {MapAdd("PNCounter-2"), MapClear(), MapAt("GCounter-1", Gc(123))})));
  ExpectSorted(s, Reply(9, Rsp(OM({{"GCounter-1", GC(123)}})),
                        {.update = om({.cleared = true, .added = {{"GCounter-1", gc(123)}}})}));
  s.Close();
}

void MixedChanges(Tck& t, const std::string& id) {
  Stream s = Open(t);
  s.Send(Init(kModel, id));
  s.Send(Cmd(id, 1, Req(id, {MapAdd("PNCounter-1")})));
  ExpectSorted(s, Reply(1, Rsp(OM({{"PNCounter-1", PN(0)}})), {.update = om({.added = {{"PNCounter-1", pn(0)}}})}));
  s.Send(DeltaIn(om({.added = {{"ORSet-1", os({.added = {"x"}})}}})));
  s.Send(DeltaIn(om({.updated = {{"ORSet-1", os({.added = {"y", "z"}})}}, .added = {{"LWWRegister-1", lww("one")}}})));
  s.Send(Cmd(id, 2, Req(id, {MapAdd("ORSet-2"), MapAt("LWWRegister-2", Lww("two"))})));
  ExpectSorted(s, Reply(2, Rsp(OM({{"LWWRegister-1", LW("one")}, {"LWWRegister-2", LW("two")}, {"ORSet-1", OS({"x", "y", "z"})},
                                   {"ORSet-2", OS({})}, {"PNCounter-1", PN(0)}})),
                        {.update = om({.added = {{"LWWRegister-2", lww("two")}, {"ORSet-2", os({})}}})}));
  s.Send(Cmd(id, 3, Req(id, {MapAt("PNCounter-1", Pn(42)), MapAt("LWWRegister-1", Lww("ONE"))})));
  ExpectSorted(s, Reply(3, Rsp(OM({{"LWWRegister-1", LW("ONE")}, {"LWWRegister-2", LW("two")}, {"ORSet-1", OS({"x", "y", "z"})},
                                   {"ORSet-2", OS({})}, {"PNCounter-1", PN(42)}})),
                        {.update = om({.updated = {{"LWWRegister-1", lww("ONE")}, {"PNCounter-1", pn(42)}}})}));
  s.Send(DeltaIn(om({.removed = {"LWWRegister-2"}, .added = {{"ORMap-1", om({.added = {{"PNCounter-1", pn(123)}}})}}})));
  s.Send(DeltaIn(om({.removed = {"ORSet-1"},
                     .updated = {{"ORSet-2", os({.added = {"a", "b", "c"}})},
                                 {"ORMap-1", om({.added = {{"LWWRegister-1", lww("ABC")}}})}}})));
  s.Send(Cmd(id, 4, Req(id, {MapAt("ORMap-1", MapAt("PNCounter-1", Pn(-456)))})));
  ExpectSorted(s, Reply(4, Rsp(OM({{"LWWRegister-1", LW("ONE")},
                                   {"ORMap-1", OM({{"LWWRegister-1", LW("ABC")}, {"PNCounter-1", PN(-333)}})},
                                   {"ORSet-2", OS({"a", "b", "c"})}, {"PNCounter-1", PN(42)}})),
                        {.update = om({.updated = {{"ORMap-1", om({.updated = {{"PNCounter-1", pn(-456)}}})}}})}));
  s.Send(DeltaIn(om({.cleared = true, .added = {{"GSet-1", gs({"1", "2", "3"})}}})));
  // Removing keys the map no longer holds adds nothing to the delta.
  s.Send(Cmd(id, 5, Req(id, {MapRemove("PNCounter-1"), MapRemove("LWWRegister-1"), MapAt("GSet-1", Gs("2")),
                             MapAt("GSet-1", Gs("4")), MapAt("GSet-1", Gs("6"))})));
  ExpectSorted(s, Reply(5, Rsp(OM({{"GSet-1", GS({"1", "2", "3", "4", "6"})}})),
                        {.update = om({.updated = {{"GSet-1", gs({"4", "6"})}}})}));
  s.Send(Cmd(id, 6, Req(id, {MapClear(), MapAdd("GCounter-1")})));
  s.Expect(Reply(6, Rsp(OM({{"GCounter-1", GC(0)}})), {.update = om({.cleared = true, .added = {{"GCounter-1", gc(0)}}})}));
  s.Send(DeltaIn(om({.removed = {"GSet-1"}, .added = {{"GCounter-1", gc(42)}}})));
  s.Send(Cmd(id, 7, Req(id, {MapAt("GCounter-1", Gc(7))})));
  s.Expect(Reply(7, Rsp(OM({{"GCounter-1", GC(49)}})), {.update = om({.updated = {{"GCounter-1", gc(7)}}})}));
  s.Close();
}

}  // namespace

std::vector<Case> MapCases() {
  std::vector<Case> cases;
  cases.push_back(InitialEmpty("CR-M-52", "ORMap", OM({})));
  cases.push_back(M("CR-M-53", "verify ORMap state changes", "ORMap", StateChanges));
  cases.push_back(M("CR-M-54", "verify ORMap initial delta in init", "ORMap", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id, om({.added = {{"PNCounter-1", pn(123)}, {"LWWRegister-1", lww("one")},
                                          {"GSet-1", gs({"a", "b", "c"})}}})));
    s.Send(Cmd(id, 1, Req(id)));
    s.Expect(Reply(1, Rsp(OM({{"GSet-1", GS({"a", "b", "c"})}, {"LWWRegister-1", LW("one")}, {"PNCounter-1", PN(123)}}))));
    s.Send(Cmd(id, 2, Req(id, {MapRemove("LWWRegister-1"), MapAt("PNCounter-1", Pn(-42))})));
    ExpectSorted(s, Reply(2, Rsp(OM({{"GSet-1", GS({"a", "b", "c"})}, {"PNCounter-1", PN(81)}})),
                          {.update = om({.removed = {"LWWRegister-1"}, .updated = {{"PNCounter-1", pn(-42)}}})}));
    s.Close();
  }));
  cases.push_back(M("CR-M-55", "verify ORMap initial empty state with replicated initial delta", "ORMap",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(DeltaIn(om({.added = {{"GCounter-1", gc(42)}, {"ORSet-1", os({.added = {"a", "b", "c"}})}, {"Flag-1", fl(false)}}})));
    s.Send(Cmd(id, 1, Req(id)));
    s.Expect(Reply(1, Rsp(OM({{"Flag-1", FL(false)}, {"GCounter-1", GC(42)}, {"ORSet-1", OS({"a", "b", "c"})}}))));
    s.Close();
  }));
  cases.push_back(M("CR-M-56", "verify ORMap mix of local and replicated state changes", "ORMap", MixedChanges));
  cases.push_back(M("CR-M-57", "verify ORMap rehydration after passivation", "ORMap", [](Tck& t, const std::string& id) {
    {
      Stream s = Open(t);
      s.Send(Init(kModel, id));
      s.Send(DeltaIn(om({.added = {{"PNCounter-1", pn(123)}}})));
      s.Send(Cmd(id, 1, Req(id, {MapAt("PNCounter-1", Pn(321))})));
      s.Expect(Reply(1, Rsp(OM({{"PNCounter-1", PN(444)}})), {.update = om({.updated = {{"PNCounter-1", pn(321)}}})}));
      s.Close();
    }
    Stream s = Open(t);
    s.Send(Init(kModel, id, om({.added = {{"PNCounter-1", pn(444)}}})));
    s.Send(Cmd(id, 1, Req(id)));
    s.Expect(Reply(1, Rsp(OM({{"PNCounter-1", PN(444)}}))));
    s.Send(DeltaIn(om({.updated = {{"PNCounter-1", pn(-42)}}})));
    s.Send(Cmd(id, 2, Req(id, {MapAt("PNCounter-1", Pn(-360))})));
    s.Expect(Reply(2, Rsp(OM({{"PNCounter-1", PN(42)}})), {.update = om({.updated = {{"PNCounter-1", pn(-360)}}})}));
    s.Close();
  }));
  cases.push_back(M("CR-M-58", "verify ORMap delete action received from entity", "ORMap", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {MapAdd("Flag-1")})));
    s.Expect(Reply(1, Rsp(OM({{"Flag-1", FL(false)}})), {.update = om({.added = {{"Flag-1", fl(false)}}})}));
    // The delete replaces the update the command would have sent.
    s.Send(Cmd(id, 2, Req(id, {MapAt("Flag-1", FlagOn()), Del()})));
    s.Expect(Reply(2, Rsp(OM({{"Flag-1", FL(true)}})), {.deleted = true}));
    s.Close();
  }));
  cases.push_back(DeleteSent("CR-M-59", "ORMap"));
  return cases;
}

}  // namespace cloudstate::tck::cr
