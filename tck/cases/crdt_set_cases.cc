// CR-M-19 .. CR-M-34: GSet and ORSet model cases.
#include "crdt_model_parts.h"

namespace cloudstate::tck::cr {
namespace {

std::vector<Case> GSetCases() {
  std::vector<Case> cases;
  cases.push_back(InitialEmpty("CR-M-19", "GSet", GS({})));
  cases.push_back(M("CR-M-20", "verify GSet state changes", "GSet", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Gs("a"), Gs("b")})));
    ExpectSorted(s, Reply(1, Rsp(GS({"a", "b"})), {.update = gs({"a", "b"})}));
    s.Send(Cmd(id, 2, Req(id, {Gs("b"), Gs("c")})));
    s.Expect(Reply(2, Rsp(GS({"a", "b", "c"})), {.update = gs({"c"})}));
    s.Send(Cmd(id, 3, Req(id, {Gs("c"), Gs("a")})));
    s.Expect(Reply(3, Rsp(GS({"a", "b", "c"}))));
    s.Close();
  }));
  cases.push_back(M("CR-M-21", "verify GSet initial delta in init", "GSet", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id, gs({"a", "b", "c"})));
    s.Send(Cmd(id, 1, Req(id, {Gs("c"), Gs("d"), Gs("e")})));
    ExpectSorted(s, Reply(1, Rsp(GS({"a", "b", "c", "d", "e"})), {.update = gs({"d", "e"})}));
    s.Close();
  }));
  cases.push_back(M("CR-M-22", "verify GSet initial empty state with replicated initial delta", "GSet",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(DeltaIn(gs({"x", "y"})));
    s.Send(Cmd(id, 1, Req(id, {Gs("z")})));
    s.Expect(Reply(1, Rsp(GS({"x", "y", "z"})), {.update = gs({"z"})}));
    s.Close();
  }));
  cases.push_back(M("CR-M-23", "verify GSet mix of local and replicated state changes", "GSet",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Gs("a")})));
    s.Expect(Reply(1, Rsp(GS({"a"})), {.update = gs({"a"})}));
    s.Send(DeltaIn(gs({"a"})));
    s.Send(DeltaIn(gs({"b"})));
    s.Send(DeltaIn(gs({"c"})));
    s.Send(Cmd(id, 2, Req(id)));
    s.Expect(Reply(2, Rsp(GS({"a", "b", "c"}))));
    s.Send(Cmd(id, 3, Req(id, {Gs("c"), Gs("d"), Gs("e")})));
    ExpectSorted(s, Reply(3, Rsp(GS({"a", "b", "c", "d", "e"})), {.update = gs({"d", "e"})}));
    s.Send(DeltaIn(gs({"f"})));
    s.Send(Cmd(id, 4, Req(id, {Gs("g"), Gs("d"), Gs("b")})));
    s.Expect(Reply(4, Rsp(GS({"a", "b", "c", "d", "e", "f", "g"})), {.update = gs({"g"})}));
    s.Close();
  }));
  cases.push_back(M("CR-M-24", "verify GSet rehydration after passivation", "GSet", [](Tck& t, const std::string& id) {
    {
      Stream s = Open(t);
      s.Send(Init(kModel, id));
      s.Send(Cmd(id, 1, Req(id, {Gs("a")})));
      s.Expect(Reply(1, Rsp(GS({"a"})), {.update = gs({"a"})}));
      s.Send(DeltaIn(gs({"b"})));
      s.Send(Cmd(id, 2, Req(id)));
      s.Expect(Reply(2, Rsp(GS({"a", "b"}))));
      s.Send(Cmd(id, 3, Req(id, {Gs("c")})));
      s.Expect(Reply(3, Rsp(GS({"a", "b", "c"})), {.update = gs({"c"})}));
      s.Close();
    }
    Stream s = Open(t);
    s.Send(Init(kModel, id, gs({"a", "b", "c"})));
    s.Send(Cmd(id, 1, Req(id)));
    s.Expect(Reply(1, Rsp(GS({"a", "b", "c"}))));
    s.Send(DeltaIn(gs({"d"})));
    s.Send(Cmd(id, 2, Req(id, {Gs("e")})));
    s.Expect(Reply(2, Rsp(GS({"a", "b", "c", "d", "e"})), {.update = gs({"e"})}));
    s.Close();
  }));
  cases.push_back(M("CR-M-25", "verify GSet delete action received from entity", "GSet", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {Gs("x")})));
    s.Expect(Reply(1, Rsp(GS({"x"})), {.update = gs({"x"})}));
    s.Send(Cmd(id, 2, Req(id, {Del()})));
    s.Expect(Reply(2, Rsp(GS({"x"})), {.deleted = true}));
    s.Close();
  }));
  cases.push_back(DeleteSent("CR-M-26", "GSet"));
  return cases;
}

std::vector<Case> ORSetCases() {
  std::vector<Case> cases;
  cases.push_back(InitialEmpty("CR-M-27", "ORSet", OS({})));
  cases.push_back(M("CR-M-28", "verify ORSet state changes", "ORSet", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {OsAdd("a"), OsAdd("b")})));
    ExpectSorted(s, Reply(1, Rsp(OS({"a", "b"})), {.update = os({.added = {"a", "b"}})}));
    s.Send(Cmd(id, 2, Req(id, {OsAdd("b"), OsAdd("c")})));
    s.Expect(Reply(2, Rsp(OS({"a", "b", "c"})), {.update = os({.added = {"c"}})}));
    s.Send(Cmd(id, 3, Req(id, {OsAdd("c"), OsAdd("a")})));
    s.Expect(Reply(3, Rsp(OS({"a", "b", "c"}))));
    s.Send(Cmd(id, 4, Req(id, {OsRemove("b"), OsRemove("d")})));
    s.Expect(Reply(4, Rsp(OS({"a", "c"})), {.update = os({.removed = {"b"}})}));
    s.Send(Cmd(id, 5, Req(id, {OsRemove("c"), OsRemove("d"), OsAdd("b"), OsAdd("c")})));
    s.Expect(Reply(5, Rsp(OS({"a", "b", "c"})), {.update = os({.added = {"b"}})}));
    s.Send(Cmd(id, 6, Req(id, {OsClear()})));
    s.Expect(Reply(6, Rsp(OS({})), {.update = os({.cleared = true})}));
    s.Send(Cmd(id, 7, Req(id, {OsAdd("a"), OsClear(), OsAdd("x")})));
    s.Expect(Reply(7, Rsp(OS({"x"})), {.update = os({.cleared = true, .added = {"x"}})}));
    s.Close();
  }));
  cases.push_back(M("CR-M-29", "verify ORSet initial delta in init", "ORSet", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id, os({.added = {"a", "b", "c"}})));
    s.Send(Cmd(id, 1, Req(id, {OsRemove("c"), OsAdd("d")})));
    s.Expect(Reply(1, Rsp(OS({"a", "b", "d"})), {.update = os({.removed = {"c"}, .added = {"d"}})}));
    s.Close();
  }));
  cases.push_back(M("CR-M-30", "verify ORSet initial empty state with replicated initial delta", "ORSet",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(DeltaIn(os({.added = {"x", "y"}})));
    s.Send(Cmd(id, 1, Req(id, {OsRemove("x"), OsAdd("z")})));
    s.Expect(Reply(1, Rsp(OS({"y", "z"})), {.update = os({.removed = {"x"}, .added = {"z"}})}));
    s.Close();
  }));
  cases.push_back(M("CR-M-31", "verify ORSet mix of local and replicated state changes", "ORSet",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {OsAdd("a")})));
    s.Expect(Reply(1, Rsp(OS({"a"})), {.update = os({.added = {"a"}})}));
    s.Send(DeltaIn(os({.added = {"a", "b"}})));
    s.Send(DeltaIn(os({.added = {"c", "d"}})));
    s.Send(DeltaIn(os({.removed = {"b", "d"}})));
    s.Send(Cmd(id, 2, Req(id)));
    s.Expect(Reply(2, Rsp(OS({"a", "c"}))));
    s.Send(Cmd(id, 3, Req(id, {OsAdd("c"), OsAdd("d"), OsAdd("e")})));
    ExpectSorted(s, Reply(3, Rsp(OS({"a", "c", "d", "e"})), {.update = os({.added = {"d", "e"}})}));
    s.Send(DeltaIn(os({.removed = {"a", "c"}, .added = {"f"}})));
    s.Send(Cmd(id, 4, Req(id, {OsAdd("g"), OsRemove("a"), OsRemove("d")})));
    s.Expect(Reply(4, Rsp(OS({"e", "f", "g"})), {.update = os({.removed = {"d"}, .added = {"g"}})}));
    s.Send(DeltaIn(os({.cleared = true, .added = {"x", "y", "z"}})));
    s.Send(Cmd(id, 5, Req(id, {OsAdd("q"), OsAdd("x"), OsRemove("z")})));
    s.Expect(Reply(5, Rsp(OS({"q", "x", "y"})), {.update = os({.removed = {"z"}, .added = {"q"}})}));
    s.Send(DeltaIn(os({.removed = {"x", "y"}, .added = {"r", "p"}})));
    s.Send(Cmd(id, 6, Req(id, {OsAdd("s")})));
    s.Expect(Reply(6, Rsp(OS({"p", "q", "r", "s"})), {.update = os({.added = {"s"}})}));
    s.Send(DeltaIn(os({.added = {"a", "b", "c"}})));
    s.Send(Cmd(id, 7, Req(id, {OsClear(), OsAdd("abc")})));
    s.Expect(Reply(7, Rsp(OS({"abc"})), {.update = os({.cleared = true, .added = {"abc"}})}));
    s.Close();
  }));
  cases.push_back(M("CR-M-32", "verify ORSet rehydration after passivation", "ORSet", [](Tck& t, const std::string& id) {
    {
      Stream s = Open(t);
      s.Send(Init(kModel, id));
      s.Send(Cmd(id, 1, Req(id, {OsAdd("a")})));
      s.Expect(Reply(1, Rsp(OS({"a"})), {.update = os({.added = {"a"}})}));
      s.Send(DeltaIn(os({.removed = {"a"}, .added = {"b"}})));
      s.Send(Cmd(id, 2, Req(id)));
      s.Expect(Reply(2, Rsp(OS({"b"}))));
      s.Send(Cmd(id, 3, Req(id, {OsAdd("c")})));
      s.Expect(Reply(3, Rsp(OS({"b", "c"})), {.update = os({.added = {"c"}})}));
      s.Close();
    }
    Stream s = Open(t);
    s.Send(Init(kModel, id, os({.added = {"b", "c"}})));
    s.Send(Cmd(id, 1, Req(id)));
    s.Expect(Reply(1, Rsp(OS({"b", "c"}))));
    s.Send(DeltaIn(os({.cleared = true, .added = {"p", "q"}})));
    s.Send(Cmd(id, 2, Req(id, {OsAdd("x"), OsAdd("y"), OsRemove("x")})));
    s.Expect(Reply(2, Rsp(OS({"p", "q", "y"})), {.update = os({.added = {"y"}})}));
    s.Close();
  }));
  cases.push_back(M("CR-M-33", "verify ORSet delete action received from entity", "ORSet", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {OsAdd("x")})));
    s.Expect(Reply(1, Rsp(OS({"x"})), {.update = os({.added = {"x"}})}));
    s.Send(Cmd(id, 2, Req(id, {Del()})));
    s.Expect(Reply(2, Rsp(OS({"x"})), {.deleted = true}));
    s.Close();
  }));
  cases.push_back(DeleteSent("CR-M-34", "ORSet"));
  return cases;
}

}  // namespace

std::vector<Case> SetCases() {
  std::vector<Case> cases = GSetCases();
  for (Case& c : ORSetCases()) cases.push_back(std::move(c));
  return cases;
}

}  // namespace cloudstate::tck::cr
