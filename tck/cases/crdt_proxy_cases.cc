// CR-P-01 .. CR-P-06: the kit calls the proxy's CRDT services as a client and checks what the proxy
// exchanged with the user function through the interceptor.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "cases.h"
#include "crdt_messages.h"
#include "driver/tck.h"
#include "proxy_calls.h"

namespace cloudstate::tck {
namespace {

using namespace cr;  // NOLINT: the notation of the specification

grpc::Status Call(Tck& t, const cmodel::Request& request, cmodel::Response& response) {
  return CallProcess<cmodel::CrdtTckModel>(t, request, response);
}

void Process(Tck& t, const cmodel::Request& request, const cmodel::Response& expected) {
  ExpectProcess<cmodel::CrdtTckModel>(t, request, expected);
}

void CallTwo(Tck& t, const cmodel::Request& request) {
  auto stub = cmodel::CrdtTwo::NewStub(t.proxy());
  grpc::ClientContext context;
  t.Prepare(context);
  cmodel::Response response;
  ExpectOk(stub->Call(&context, request, &response), "CrdtTwo.Call");
  ExpectEqual(Rsp(), response, "reply to the client");
}

// The first call of a new entity: its init (no state yet), then `command` answered by `reply`.
ConnectionProbe First(Tck& t, const std::string& service, const std::string& id, const In& command, const Out& reply) {
  ConnectionProbe c = t.NextConnection(CallKind::kCrdt);
  c.ExpectIn(Init(service, id));
  Exchange(c, command, reply);
  return c;
}

// A ProcessStreamed call whose responses a thread collects, so a case can also check that none came.
class StreamedCall {
 public:
  StreamedCall(Tck& t, const cmodel::StreamedRequest& request) : stub_(cmodel::CrdtTckModel::NewStub(t.proxy())) {
    reader_ = stub_->ProcessStreamed(&context_, request);
    reading_ = std::thread([this] {
      cmodel::Response response;
      while (reader_->Read(&response)) {
        std::lock_guard lock(mutex_);
        received_.push_back(response);
        changed_.notify_all();
      }
      (void)reader_->Finish();
    });
  }
  ~StreamedCall() {
    context_.TryCancel();
    reading_.join();
  }

  void Expect(const cmodel::Response& expected, std::chrono::milliseconds within) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, within, [this] { return !received_.empty(); })) {
      Fail("the streamed call received nothing", Describe(expected), "nothing within " + std::to_string(within.count()) + " ms");
    }
    cmodel::Response actual = received_.front();
    received_.pop_front();
    lock.unlock();
    ExpectEqual(expected, actual, "response to the streamed call");
  }

  void ExpectNothing(std::chrono::milliseconds within) {
    std::unique_lock lock(mutex_);
    if (changed_.wait_for(lock, within, [this] { return !received_.empty(); })) {
      Fail("the streamed call received a response", "nothing", Describe(received_.front()));
    }
  }

  void Cancel() { context_.TryCancel(); }

 private:
  std::unique_ptr<cmodel::CrdtTckModel::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<cmodel::Response>> reader_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<cmodel::Response> received_;
  std::thread reading_;
};

Case P(std::string id, std::string name, std::string kind, std::function<void(Tck&, const std::string&)> body,
       Needs needs = Needs::kCrdt) {
  return Case{std::move(id), std::move(name), {kModel, kTwo}, needs,
              [kind, body](Tck& t) { body(t, t.NextCrdtId(kind)); }, ""};
}

void StreamedForConnectionTracking(Tck& t, const std::string& id) {
  const cmodel::State state0 = VO(false, 0, 1);
  const cmodel::State state1 = VO(true, 1, 1);
  cmodel::StreamedRequest monitor;
  monitor.set_id(id);
  StreamedCall a(t, monitor);
  a.Expect(Rsp(state0), t.settings().timeout);
  ConnectionProbe c = First(t, kModel, id, SCmd(id, 1, monitor), Reply(1, Rsp(state0), {.streamed = true}));

  cmodel::StreamedRequest connect;
  connect.set_id(id);
  *connect.mutable_initial_update() = VoteFor(true).update();
  *connect.mutable_cancel_update() = VoteFor(false).update();
  connect.set_empty(true);
  auto b = std::make_unique<StreamedCall>(t, connect);
  a.Expect(Rsp(state1), t.settings().timeout);
  b->ExpectNothing(std::chrono::milliseconds(100));
  Exchange(c, SCmd(id, 2, connect), NoAction(2, {.update = vo(true), .streamed = true}));
  c.ExpectOut(Streamed(1, Rsp(state1)));

  b->Cancel();
  a.Expect(Rsp(state0), t.settings().timeout);
  Exchange(c, Cancel(id, 2), Cancelled(2, vo(false)));
  c.ExpectOut(Streamed(1, Rsp(state0)));

  a.Cancel();
  Exchange(c, Cancel(id, 1), Cancelled(1));

  Process(t, Req(id, {Del()}), Rsp(state0));
  Exchange(c, Cmd(id, 3, Req(id, {Del()})), Reply(3, Rsp(state0), {.deleted = true}));
  c.ExpectClosed(t.settings().timeout);
}

void HttpApi(Tck& t, const std::string& id) {
  auto call = [&](const std::string& path, const std::string& body, int status, const std::string& expected) {
    HttpResponse response = t.Http(path, body);
    ExpectTrue(response.status == status && (status != 200 || response.content_type == "application/json"),
               "HTTP " + path, std::to_string(status) + (status == 200 ? " application/json" : ""),
               std::to_string(response.status) + " " + response.content_type);
    ExpectTrue(response.body == expected, "HTTP body of " + path, expected, response.body);
  };
  const std::string path = "/tck/model/crdt/" + id;
  call(path, "{}", 200, R"({"state":{"pncounter":{"value":"0"}}})");
  ConnectionProbe c1 = First(t, kModel, id, Cmd(id, 1, Req(id)), Reply(1, Rsp(PN(0))));

  call("/cloudstate.tck.model.crdt.CrdtTwo/Call", R"({"id": ")" + id + R"("})", 200, "{}");
  First(t, kTwo, id, Cmd(id, 1, Req(id), "Call"), Reply(1, Rsp()));

  call(path, R"({"actions": [{"update": {"pncounter": {"change": 42} }}]})", 200, R"({"state":{"pncounter":{"value":"42"}}})");
  Exchange(c1, Cmd(id, 2, Req(id, {Pn(42)})), Reply(2, Rsp(PN(42)), {.update = pn(42)}));
  call(path, R"({"actions": [{"fail": {"message": "expected failure"}}]})", 500, "expected failure");
  Exchange(c1, Cmd(id, 3, Req(id, {FailWith("expected failure")})), Failure(3, "expected failure"));
  call(path, R"({"actions": [{"update": {"pncounter": {"change": -123} }}]})", 200,
       R"({"state":{"pncounter":{"value":"-81"}}})");
  Exchange(c1, Cmd(id, 4, Req(id, {Pn(-123)})), Reply(4, Rsp(PN(-81)), {.update = pn(-123)}));
  call(path, R"({"actions": [{"delete": {}}]})", 200, R"({"state":{"pncounter":{"value":"-81"}}})");
  Exchange(c1, Cmd(id, 5, Req(id, {Del()})), Reply(5, Rsp(PN(-81)), {.deleted = true}));
  c1.ExpectClosed(t.settings().timeout);
}

}  // namespace

std::vector<Case> CrdtProxyCases() {
  std::vector<Case> cases;
  cases.push_back(P("CR-P-01", "verify state changes (PNCounter)", "PNCounter", [](Tck& t, const std::string& id) {
    Process(t, Req(id), Rsp(PN(0)));
    ConnectionProbe c = First(t, kModel, id, Cmd(id, 1, Req(id)), Reply(1, Rsp(PN(0))));
    Process(t, Req(id, {Pn(1), Pn(-2), Pn(3)}), Rsp(PN(2)));
    Exchange(c, Cmd(id, 2, Req(id, {Pn(1), Pn(-2), Pn(3)})), Reply(2, Rsp(PN(2)), {.update = pn(2)}));
    Process(t, Req(id, {Pn(4), Pn(-5), Pn(6)}), Rsp(PN(7)));
    Exchange(c, Cmd(id, 3, Req(id, {Pn(4), Pn(-5), Pn(6)})), Reply(3, Rsp(PN(7)), {.update = pn(5)}));
    Process(t, Req(id, {Del()}), Rsp(PN(7)));
    Exchange(c, Cmd(id, 4, Req(id, {Del()})), Reply(4, Rsp(PN(7)), {.deleted = true}));
    c.ExpectClosed(t.settings().timeout);
  }));
  cases.push_back(P("CR-P-02", "verify forwards and side effects (GSet)", "GSet", [](Tck& t, const std::string& id) {
    Process(t, Req(id, {Gs("one")}), Rsp(GS({"one"})));
    ConnectionProbe c1 = First(t, kModel, id, Cmd(id, 1, Req(id, {Gs("one")})),
                               Reply(1, Rsp(GS({"one"})), {.update = gs({"one"})}));

    Process(t, Req(id, {FwdTo(id)}), Rsp());
    Exchange(c1, Cmd(id, 2, Req(id, {FwdTo(id)})), Fwd(2, id));
    ConnectionProbe c2 = First(t, kTwo, id, Cmd(id, 1, Req(id), "Call"), Reply(1, Rsp()));

    Process(t, Req(id, {Eff(id)}), Rsp(GS({"one"})));
    Exchange(c1, Cmd(id, 3, Req(id, {Eff(id)})), Reply(3, Rsp(GS({"one"})), {.effects = {Se(id)}}));
    Exchange(c2, Cmd(id, 2, Req(id), "Call"), Reply(2, Rsp()));

    Process(t, Req(id, {Del()}), Rsp(GS({"one"})));
    Exchange(c1, Cmd(id, 4, Req(id, {Del()})), Reply(4, Rsp(GS({"one"})), {.deleted = true}));
    c1.ExpectClosed(t.settings().timeout);

    CallTwo(t, Req(id, {Del()}));
    Exchange(c2, Cmd(id, 3, Req(id, {Del()}), "Call"), Reply(3, Rsp(), {.deleted = true}));
    c2.ExpectClosed(t.settings().timeout);
  }));
  cases.push_back(P("CR-P-03", "verify failures (GCounter)", "GCounter", [](Tck& t, const std::string& id) {
    Process(t, Req(id, {Gc(42)}), Rsp(GC(42)));
    ConnectionProbe c = First(t, kModel, id, Cmd(id, 1, Req(id, {Gc(42)})), Reply(1, Rsp(GC(42)), {.update = gc(42)}));
    cmodel::Response response;
    ExpectFailure(Call(t, Req(id, {FailWith("expected failure")}), response), "expected failure", "Process");
    Exchange(c, Cmd(id, 2, Req(id, {FailWith("expected failure")})), Failure(2, "expected failure"));
    Process(t, Req(id, {Del()}), Rsp(GC(42)));
    Exchange(c, Cmd(id, 3, Req(id, {Del()})), Reply(3, Rsp(GC(42)), {.deleted = true}));
    c.ExpectClosed(t.settings().timeout);
  }));
  cases.push_back(P("CR-P-04", "verify streamed responses for connection tracking (Vote)", "Vote",
                    StreamedForConnectionTracking));
  cases.push_back(P("CR-P-05", "verify HTTP API (PNCounter)", "PNCounter", HttpApi, Needs::kCrdt | Needs::kHttpJson));
  cases.push_back(Case{"CR-P-06", "verify passivation timeout", {kConfigured}, Needs::kCrdt, [](Tck& t) {
    const std::string id = t.NextCrdtId("Configured");
    auto stub = cmodel::CrdtConfigured::NewStub(t.proxy());
    grpc::ClientContext context;
    t.Prepare(context);
    cmodel::Response response;
    (void)stub->Call(&context, Req(id), &response);  // the original kit does not wait for the result
    ConnectionProbe c = First(t, kConfigured, id, Cmd(id, 1, Req(id), "Call"), Reply(1, Rsp()));
    c.ExpectClosed(std::chrono::milliseconds(2000));
  }, ""});
  return cases;
}

}  // namespace cloudstate::tck
