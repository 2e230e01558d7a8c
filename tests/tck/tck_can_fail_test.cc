// The kit can fail: the interceptor alters the traffic between our sidecar and the model function
// on purpose, and exactly the cases that see the altered traffic must fail, all others pass.
#include <doctest/doctest.h>

#include <set>
#include <sstream>

#include "cloudstate/action.pb.h"
#include "cloudstate/crdt.pb.h"
#include "cloudstate/event_sourced.pb.h"
#include "cloudstate/value_entity.pb.h"
#include "driver/kit.h"
#include "driver/local_setup.h"

namespace cloudstate::tck {
namespace {

// Replies of the event-sourced model lose their first event (the proxy then persists too few).
class DropEvent final : public TrafficAlteration {
 public:
  Verdict Alter(const Connection& connection, Direction direction, google::protobuf::Message& message) override {
    auto* out = dynamic_cast<eventsourced::EventSourcedStreamOut*>(&message);
    if (direction == Direction::kOut && out != nullptr && out->has_reply() && out->reply().events_size() > 0 &&
        connection.service() == "cloudstate.tck.model.EventSourcedTckModel") {
      out->mutable_reply()->mutable_events()->DeleteSubrange(0, 1);
    }
    return Verdict::kPass;
  }
};

// Commands to value entities reach the function with another id.
class ChangeCommandId final : public TrafficAlteration {
 public:
  Verdict Alter(const Connection&, Direction direction, google::protobuf::Message& message) override {
    auto* in = dynamic_cast<valueentity::ValueEntityStreamIn*>(&message);
    if (direction == Direction::kIn && in != nullptr && in->has_command()) {
      in->mutable_command()->set_id(in->command().id() + 100);
    }
    return Verdict::kPass;
  }
};

// Replies of EventSourcedTwo (the forward target) come after the sidecar's relay timeout.
class DelayReply final : public TrafficAlteration {
 public:
  Verdict Alter(const Connection& connection, Direction direction, google::protobuf::Message& message) override {
    if (direction == Direction::kOut && dynamic_cast<eventsourced::EventSourcedStreamOut*>(&message) != nullptr &&
        connection.service() == "cloudstate.tck.model.EventSourcedTwo") {
      return Verdict::kWithhold;
    }
    return Verdict::kPass;
  }
};

// Replies of the CRDT model lose their state action (the proxy then keeps its old state).
class DropStateAction final : public TrafficAlteration {
 public:
  Verdict Alter(const Connection& connection, Direction direction, google::protobuf::Message& message) override {
    auto* out = dynamic_cast<crdt::CrdtStreamOut*>(&message);
    if (direction == Direction::kOut && out != nullptr && out->has_reply() &&
        connection.service() == "cloudstate.tck.model.crdt.CrdtTckModel") {
      out->mutable_reply()->clear_state_action();
    }
    return Verdict::kPass;
  }
};

std::set<std::string> FailedCases(TrafficAlteration* alteration) {
  LocalSetupOptions options;
  options.alteration = alteration;
  options.relay_timeout = std::chrono::milliseconds(500);
  options.log = [](LogLevel, const std::string&) {};  // the altered traffic makes the sidecar complain, as it should
  auto setup = LocalSetup::Start(options);
  REQUIRE_MESSAGE(setup.ok(), setup.status().ToString());
  std::ostringstream out;
  TckSettings settings = (*setup)->settings();
  KitReport report = RunKit(settings, (*setup)->recorder(), std::chrono::seconds(30), out);
  INFO(out.str());
  REQUIRE_MESSAGE(report.startup.ok(), report.startup.ToString());
  std::set<std::string> failed;
  for (const CaseOutcome& outcome : report.cases) {
    if (outcome.result == CaseOutcome::Result::kFailed) failed.insert(outcome.id);
  }
  return failed;
}

// Events reach the eventing subscriber without ce-subject, so it answers for no entity.
class DropSubject final : public TrafficAlteration {
 public:
  Verdict Alter(const Connection& connection, Direction direction, google::protobuf::Message& message) override {
    auto* in = dynamic_cast<action::ActionCommand*>(&message);
    if (direction != Direction::kIn || in == nullptr ||
        connection.service() != "cloudstate.tck.model.eventlogeventing.EventLogSubscriberModel") {
      return Verdict::kPass;
    }
    auto* entries = in->mutable_metadata()->mutable_entries();
    for (int i = entries->size() - 1; i >= 0; --i) {
      if (entries->Get(i).key() == "ce-subject") entries->DeleteSubrange(i, 1);
    }
    return Verdict::kPass;
  }
};

// The cases that fail without any alteration (our sidecar's known gaps, listed in the report of
// tck-against-sidecar), so each alteration is checked for adding exactly its own cases.
const std::set<std::string>& Baseline() {
  static const std::set<std::string> baseline = FailedCases(nullptr);
  return baseline;
}

std::set<std::string> With(std::set<std::string> affected) {
  affected.insert(Baseline().begin(), Baseline().end());
  return affected;
}

std::string Describe(const std::set<std::string>& cases) {
  std::string text;
  for (const auto& id : cases) text += (text.empty() ? "" : " ") + id;
  return "{" + text + "}";
}

// Checks that exactly `expected` (plus the baseline) fail under `alteration`, naming both sets.
void CheckFailsExactly(TrafficAlteration& alteration, const std::set<std::string>& expected) {
  std::set<std::string> failed = FailedCases(&alteration);
  std::set<std::string> want = With(expected);
  CHECK_MESSAGE(failed == want, "failed " << Describe(failed) << ", expected " << Describe(want));
}

// ES-P-04 and VE-P-04 are the HTTP/JSON twins of the gRPC cases: the same traffic, over HTTP.
TEST_CASE("a dropped event fails exactly the event-sourced proxy cases that emit") {
  DropEvent alteration;
  CheckFailsExactly(alteration, {"ES-P-01", "ES-P-02", "ES-P-03", "ES-P-04"});
}

TEST_CASE("a changed command id fails exactly the value-entity proxy cases") {
  ChangeCommandId alteration;
  CheckFailsExactly(alteration, {"VE-P-01", "VE-P-02", "VE-P-03", "VE-P-04", "VE-P-05"});
}

TEST_CASE("a reply delayed past the relay timeout fails exactly the cases that forward") {
  DelayReply alteration;
  CheckFailsExactly(alteration, {"ES-P-02", "ES-P-04"});
}

// CR-P-06 calls CrdtConfigured, whose replies carry no state action anyway.
TEST_CASE("a dropped CRDT state action fails exactly the CRDT proxy cases of the model service") {
  DropStateAction alteration;
  CheckFailsExactly(alteration, {"CR-P-01", "CR-P-02", "CR-P-03", "CR-P-04", "CR-P-05"});
}

// EV-02 passes: the forward is still a forward to Effect, and its request is not checked.
TEST_CASE("events delivered without their subject fail exactly the eventing cases that check the answer") {
  DropSubject alteration;
  CheckFailsExactly(alteration, {"EV-01", "EV-03"});
}

}  // namespace
}  // namespace cloudstate::tck
