// EV-01 .. EV-03: an entity emits an event through the proxy, and the proxy must deliver it from
// the entity's event log to the subscriber action. The kit checks both calls at the interceptor:
// the entity's stream, then the subscriber's unary call (and the call a forward leads to).
#include <google/protobuf/empty.pb.h>

#include "cases.h"
#include "cloudstate/action.pb.h"
#include "cloudstate/event_sourced.pb.h"
#include "driver/tck.h"
#include "eventing_messages.h"

namespace cloudstate::tck {
namespace {

using namespace ev;  // NOLINT: the notation of the specification
using EsIn = ::cloudstate::eventsourced::EventSourcedStreamIn;
using EsOut = ::cloudstate::eventsourced::EventSourcedStreamOut;
using ActionIn = ::cloudstate::action::ActionCommand;
using ActionOut = ::cloudstate::action::ActionResponse;

// The emitting calls' results are not checked: what matters is what the proxy does with the event.
void EmitEvent(Tck& t, const emodel::EmitEventRequest& request) {
  auto stub = emodel::EventSourcedEntityOne::NewStub(t.proxy());
  grpc::ClientContext context;
  t.Prepare(context);
  google::protobuf::Empty empty;
  (void)stub->EmitEvent(&context, request, &empty);
}

void EmitJsonEvent(Tck& t, const emodel::JsonEvent& request) {
  auto stub = emodel::EventSourcedEntityTwo::NewStub(t.proxy());
  grpc::ClientContext context;
  t.Prepare(context);
  google::protobuf::Empty empty;
  (void)stub->EmitJsonEvent(&context, request, &empty);
}

// The entity stream the emitting call opened: init for `service` and `id` (its snapshot is not
// checked), a command, and a reply, which is returned.
EsOut ExpectEntityStream(Tck& t, const std::string& service, const std::string& id) {
  ConnectionProbe c = t.NextConnection(CallKind::kEventSourced);
  EsIn init = c.NextIn<EsIn>();
  ExpectTrue(init.has_init() && init.init().service_name() == service && init.init().entity_id() == id,
             "unexpected first message proxy -> function", "init{service_name: " + service + ", entity_id: " + id + "}",
             Describe(init));
  EsIn command = c.NextIn<EsIn>();
  ExpectTrue(command.has_command(), "unexpected message proxy -> function", "a command", Describe(command));
  EsOut reply = c.NextOut<EsOut>();
  // Described only on failure: the text printer warns about the JSON events of EV-03.
  if (!reply.has_reply()) Fail("unexpected message function -> proxy", "a reply", Describe(reply));
  return reply;
}

// `payload`'s bytes parse as T (whatever its type url says, as the original kit reads it).
template <typename T>
T ParseAs(const google::protobuf::Any& payload, const std::string& what) {
  T message;
  ExpectTrue(message.ParseFromString(payload.value()), what, T::descriptor()->full_name(), payload.type_url());
  return message;
}

// The subscriber's unary call: its command carries an EventOne with `event_step`; returns the
// function's answer.
ActionOut ExpectDelivery(ConnectionProbe& c, const emodel::ProcessStep& event_step) {
  ActionIn command = c.NextIn<ActionIn>();
  emodel::EventOne event = ParseAs<emodel::EventOne>(command.payload(), "the delivered event is not an EventOne");
  ExpectEqual(event_step, event.step(), "unexpected event delivered to the subscriber");
  return c.NextOut<ActionOut>();
}

void ExpectReplyOf(const ActionOut& out, const emodel::Response& expected) {
  ExpectTrue(out.has_reply(), "unexpected answer of the subscriber", "a reply", Describe(out));
  ExpectEqual(expected, ParseAs<emodel::Response>(out.reply().payload(), "the reply is not a Response"),
              "unexpected reply of the subscriber");
}

Case E(std::string id, std::string name, const std::string& entity, std::function<void(Tck&)> body) {
  return Case{std::move(id), std::move(name), {kSubscriber, entity}, Needs::kEventing, std::move(body), ""};
}

}  // namespace

std::vector<Case> EventingCases() {
  std::vector<Case> cases;
  cases.push_back(E("EV-01", "consume an event", kOne, [](Tck& t) {
    const std::string id = "eventlogeventing:1";
    EmitEvent(t, EmitOne(id, One(Reply("some message"))));
    ExpectEntityStream(t, kOne, id);
    ConnectionProbe delivery = t.NextConnection(CallKind::kActionUnary);
    ExpectReplyOf(ExpectDelivery(delivery, Reply("some message")), Rsp(id, "some message"));
  }));
  cases.push_back(E("EV-02", "forward a consumed event", kOne, [](Tck& t) {
    const std::string id = "eventlogeventing:2";
    EmitEvent(t, EmitOne(id, One(Forward("some message"))));
    ExpectEntityStream(t, kOne, id);
    ConnectionProbe delivery = t.NextConnection(CallKind::kActionUnary);
    ActionOut out = ExpectDelivery(delivery, Forward("some message"));
    ExpectTrue(out.has_forward(), "unexpected answer of the subscriber", "a forward", Describe(out));
    ConnectionProbe effect = t.NextConnection(CallKind::kActionUnary);
    ActionIn command = effect.NextIn<ActionIn>();
    ExpectTrue(command.name() == "Effect", "the forward reached another method", "Effect", command.name());
  }));
  cases.push_back(E("EV-03", "process json events", kTwo, [](Tck& t) {
    const std::string id = "eventlogeventing:3";
    EmitJsonEvent(t, Json(id, "some json message"));
    EsOut reply = ExpectEntityStream(t, kTwo, id);
    // Named by type url only: the text printer knows no json.cloudstate.io/ type.
    std::string type_urls;
    for (const auto& event : reply.reply().events()) type_urls += (type_urls.empty() ? "" : ", ") + event.type_url();
    ExpectTrue(reply.reply().events_size() == 1 && type_urls.rfind("json.cloudstate.io/", 0) == 0,
               "unexpected events of the entity", "exactly one event with a json.cloudstate.io/ type url",
               "events [" + type_urls + "]");
    ConnectionProbe delivery = t.NextConnection(CallKind::kActionUnary);
    delivery.NextIn<ActionIn>();
    ExpectReplyOf(delivery.NextOut<ActionOut>(), Rsp(id, "some json message"));
  }));
  return cases;
}

}  // namespace cloudstate::tck
