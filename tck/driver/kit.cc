#include "kit.h"

#include <set>

#include "cases/cases.h"
#include "cloudstate/entity.grpc.pb.h"
#include "interceptor/relay.h"

namespace cloudstate::tck {
namespace {

Deadline After(std::chrono::milliseconds timeout) { return std::chrono::steady_clock::now() + timeout; }

// The original kit's own discovery call, waiting for the function to come up.
Status WaitForFunction(const TckSettings& settings, std::chrono::milliseconds timeout) {
  auto channel = grpc::CreateChannel(settings.user_function, grpc::InsecureChannelCredentials());
  auto stub = ::cloudstate::EntityDiscovery::NewStub(channel);
  ::cloudstate::ProxyInfo info;
  info.set_protocol_major_version(0);
  info.set_protocol_minor_version(2);
  info.set_proxy_name("cloudstate-tck");
  info.set_proxy_version("0.1.0");
  for (const char* type : {"cloudstate.action.ActionProtocol", "cloudstate.crdt.Crdt",
                           "cloudstate.eventsourced.EventSourced", "cloudstate.valueentity.ValueEntity"}) {
    info.add_supported_entity_types(type);
  }
  grpc::ClientContext context;
  context.set_wait_for_ready(true);
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  ::cloudstate::EntitySpec spec;
  grpc::Status status = stub->discover(&context, info, &spec);
  if (!status.ok()) return Status::Unavailable("no discovery from the user function: " + DescribeStatus(status));
  return Status::Ok();
}

// The proxy's discovery must be the first call it made through the interceptor.
Status TakeDiscovery(Recorder& recorder, std::chrono::milliseconds timeout, ::cloudstate::ProxyInfo& info,
                     ::cloudstate::EntitySpec& spec) {
  std::shared_ptr<Connection> discovery = recorder.Next(After(timeout));
  if (discovery == nullptr) return Status::Unavailable("the proxy made no discovery call through the interceptor");
  if (discovery->kind() != CallKind::kDiscovery) {
    return Status::Unavailable(std::string("the proxy's first call was a ") + CallKindName(discovery->kind()) +
                               ", not a discovery");
  }
  auto in = discovery->Next(Direction::kIn, After(timeout));
  auto out = discovery->Next(Direction::kOut, After(timeout));
  auto* recorded_info = dynamic_cast<::cloudstate::ProxyInfo*>(in.get());
  auto* recorded_spec = dynamic_cast<::cloudstate::EntitySpec*>(out.get());
  if (recorded_info == nullptr || recorded_spec == nullptr) {
    return Status::Unavailable("the discovery through the interceptor did not complete: " +
                               discovery->Outcome(Direction::kOut));
  }
  info = *recorded_info;
  spec = *recorded_spec;
  return Status::Ok();
}

std::string SkipReason(const Case& c, const Tck& tck) {
  if (!c.skip.empty()) return c.skip;
  for (const std::string& service : c.services) {
    if (tck.Entity(service) == nullptr) return "the user function does not serve " + service;
  }
  const ProxyFeatures& features = tck.settings().features;
  if (Includes(c.needs, Needs::kCrdt) && !features.crdt) return kCrdtNotHosted;
  if (Includes(c.needs, Needs::kEventing) && !features.eventing) return kEventingNotSupported;
  if (Includes(c.needs, Needs::kHttpJson) && !features.http_json) return kHttpNotServed;
  if (Includes(c.needs, Needs::kServerReflection) && !features.server_reflection) return kReflectionNotServed;
  return "";
}

CaseOutcome Run(const Case& c, Tck& tck) {
  CaseOutcome outcome{c.id, c.name, CaseOutcome::Result::kSkipped, SkipReason(c, tck)};
  if (!outcome.detail.empty()) return outcome;
  try {
    c.run(tck);
    tck.ExpectNoMoreConnections();
    outcome.result = CaseOutcome::Result::kPassed;
    for (const std::string& part : tck.TakeSkippedParts()) {
      outcome.detail += (outcome.detail.empty() ? "" : "; ") + part;
    }
  } catch (const CaseFailure& failure) {
    tck.TakeSkippedParts();
    outcome.result = CaseOutcome::Result::kFailed;
    outcome.detail = std::string(failure.what()) + "\n      expected: " + failure.expected() +
                     "\n      actual:   " + failure.actual();
    // Calls the failed case left behind must not be taken for the next case's.
    while (tck.recorder().Next(After(std::chrono::milliseconds(200))) != nullptr) {
    }
  }
  return outcome;
}

void Print(const CaseOutcome& outcome, std::ostream& out) {
  out << outcome.id << ' ' << outcome.name << " ... ";
  switch (outcome.result) {
    case CaseOutcome::Result::kPassed:
      out << "ok" << (outcome.detail.empty() ? "" : " (part skipped: " + outcome.detail + ")") << '\n';
      break;
    case CaseOutcome::Result::kFailed: out << "FAILED\n    " << outcome.detail << '\n'; break;
    case CaseOutcome::Result::kSkipped: out << "skipped (" << outcome.detail << ")\n"; break;
  }
  out.flush();
}

}  // namespace

std::vector<Case> AllCases() {
  std::vector<Case> all;
  for (auto group : {DiscoveryCases, ActionModelCases, ValueEntityModelCases, EventSourcedModelCases,
                     CrdtModelCases, ActionProxyCases, ValueEntityProxyCases, EventSourcedProxyCases,
                     CrdtProxyCases, ReflectionCases, EventingCases}) {
    for (Case& c : group()) all.push_back(std::move(c));
  }
  return all;
}

KitReport RunKit(const TckSettings& settings, Recorder& recorder, std::chrono::milliseconds startup_timeout,
                 std::ostream& out) {
  KitReport report;
  report.startup = WaitForFunction(settings, startup_timeout);
  ::cloudstate::ProxyInfo info;
  ::cloudstate::EntitySpec spec;
  if (report.startup.ok()) report.startup = TakeDiscovery(recorder, startup_timeout, info, spec);
  Tck tck(settings, recorder, info, spec);
  if (report.startup.ok() && !tck.proxy()->WaitForConnected(std::chrono::system_clock::now() + startup_timeout)) {
    report.startup = Status::Unavailable("the proxy's port " + settings.proxy_host + ":" +
                                         std::to_string(settings.proxy_port) + " does not answer");
  }
  if (!report.startup.ok()) {
    out << "tck: cannot start: " << report.startup.ToString() << '\n';
    return report;
  }
  for (const Case& c : AllCases()) {
    CaseOutcome outcome = Run(c, tck);
    Print(outcome, out);
    switch (outcome.result) {
      case CaseOutcome::Result::kPassed: ++report.passed; break;
      case CaseOutcome::Result::kFailed: ++report.failed; break;
      case CaseOutcome::Result::kSkipped: ++report.skipped; break;
    }
    report.cases.push_back(std::move(outcome));
  }
  out << report.passed << " passed, " << report.failed << " failed, " << report.skipped << " skipped\n";
  return report;
}

}  // namespace cloudstate::tck
