// CR-M-60 .. CR-M-67: Vote model cases. The function sends only its own vote; the proxy sends all
// three numbers.
#include "crdt_model_parts.h"

namespace cloudstate::tck::cr {

std::vector<Case> VoteCases() {
  std::vector<Case> cases;
  cases.push_back(InitialEmpty("CR-M-60", "Vote", VO(false, 0, 1)));
  cases.push_back(M("CR-M-61", "verify Vote state changes", "Vote", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {VoteFor(true)})));
    s.Expect(Reply(1, Rsp(VO(true, 1, 1)), {.update = vo(true)}));
    s.Send(Cmd(id, 2, Req(id, {VoteFor(true)})));
    s.Expect(Reply(2, Rsp(VO(true, 1, 1))));
    s.Send(Cmd(id, 3, Req(id, {VoteFor(false)})));
    s.Expect(Reply(3, Rsp(VO(false, 0, 1)), {.update = vo(false)}));
    s.Send(Cmd(id, 4, Req(id, {VoteFor(false)})));
    s.Expect(Reply(4, Rsp(VO(false, 0, 1))));
    s.Close();
  }));
  cases.push_back(M("CR-M-62", "verify Vote initial delta in init", "Vote", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id, vo(true, 2, 3)));
    s.Send(Cmd(id, 1, Req(id)));
    s.Expect(Reply(1, Rsp(VO(true, 2, 3))));
    s.Send(Cmd(id, 2, Req(id, {VoteFor(false)})));
    s.Expect(Reply(2, Rsp(VO(false, 1, 3)), {.update = vo(false)}));
    s.Close();
  }));
  cases.push_back(M("CR-M-63", "verify Vote initial empty state with replicated initial delta", "Vote",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(DeltaIn(vo(false, 3, 5)));
    s.Send(Cmd(id, 1, Req(id)));
    s.Expect(Reply(1, Rsp(VO(false, 3, 5))));
    s.Send(Cmd(id, 2, Req(id, {VoteFor(true)})));
    s.Expect(Reply(2, Rsp(VO(true, 4, 5)), {.update = vo(true)}));
    s.Close();
  }));
  cases.push_back(M("CR-M-64", "verify Vote mix of local and replicated state changes", "Vote",
                    [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(DeltaIn(vo(false, 2, 4)));
    s.Send(Cmd(id, 1, Req(id)));
    s.Expect(Reply(1, Rsp(VO(false, 2, 4))));
    s.Send(Cmd(id, 2, Req(id, {VoteFor(true)})));
    s.Expect(Reply(2, Rsp(VO(true, 3, 4)), {.update = vo(true)}));
    s.Send(DeltaIn(vo(true, 5, 7)));
    s.Send(DeltaIn(vo(true, 4, 6)));
    s.Send(Cmd(id, 3, Req(id, {VoteFor(false)})));
    s.Expect(Reply(3, Rsp(VO(false, 3, 6)), {.update = vo(false)}));
    s.Close();
  }));
  cases.push_back(M("CR-M-65", "verify Vote rehydration after passivation", "Vote", [](Tck& t, const std::string& id) {
    {
      Stream s = Open(t);
      s.Send(Init(kModel, id));
      s.Send(Cmd(id, 1, Req(id)));
      s.Expect(Reply(1, Rsp(VO(false, 0, 1))));
      s.Send(DeltaIn(vo(false, 2, 5)));
      s.Send(Cmd(id, 2, Req(id, {VoteFor(true)})));
      s.Expect(Reply(2, Rsp(VO(true, 3, 5)), {.update = vo(true)}));
      s.Close();
    }
    Stream s = Open(t);
    s.Send(Init(kModel, id, vo(true, 3, 5)));
    s.Send(Cmd(id, 1, Req(id)));
    s.Expect(Reply(1, Rsp(VO(true, 3, 5))));
    s.Send(Cmd(id, 2, Req(id, {VoteFor(false)})));
    s.Expect(Reply(2, Rsp(VO(false, 2, 5)), {.update = vo(false)}));
    s.Close();
  }));
  cases.push_back(M("CR-M-66", "verify Vote delete action received from entity", "Vote", [](Tck& t, const std::string& id) {
    Stream s = Open(t);
    s.Send(Init(kModel, id));
    s.Send(Cmd(id, 1, Req(id, {VoteFor(true)})));
    s.Expect(Reply(1, Rsp(VO(true, 1, 1)), {.update = vo(true)}));
    s.Send(Cmd(id, 2, Req(id, {Del()})));
    s.Expect(Reply(2, Rsp(VO(true, 1, 1)), {.deleted = true}));
    s.Close();
  }));
  cases.push_back(DeleteSent("CR-M-67", "Vote"));
  return cases;
}

}  // namespace cloudstate::tck::cr
