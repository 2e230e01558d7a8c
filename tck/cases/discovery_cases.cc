// PX-01: what the proxy sent at discovery and what the function answered.
#include <algorithm>

#include "cases.h"
#include "discovery_checks.h"

namespace cloudstate::tck {

std::vector<Case> DiscoveryCases() {
  std::vector<Case> cases;
  cases.push_back({"PX-01", "verify proxy info and entity discovery", {}, Needs::kNothing, [](Tck& t) {
    const ::cloudstate::ProxyInfo& info = t.proxy_info();
    ExpectTrue(info.protocol_major_version() == 0 && info.protocol_minor_version() == 2, "protocol version",
               "0.2", std::to_string(info.protocol_major_version()) + "." + std::to_string(info.protocol_minor_version()));
    std::vector<std::string> types(info.supported_entity_types().begin(), info.supported_entity_types().end());
    std::vector<std::string> expected = {"cloudstate.action.ActionProtocol", "cloudstate.crdt.Crdt",
                                         "cloudstate.eventsourced.EventSourced", "cloudstate.valueentity.ValueEntity"};
    if (!t.settings().features.crdt) {
      // Without CRDT entities the proxy cannot list them: the rest of the list is still exact.
      t.SkipPart(std::string("cloudstate.crdt.Crdt listed: ") + kCrdtNotHosted);
      expected.erase(expected.begin() + 1);
      types.erase(std::remove(types.begin(), types.end(), "cloudstate.crdt.Crdt"), types.end());
    }
    std::sort(types.begin(), types.end());
    auto join = [](const std::vector<std::string>& names) {
      std::string text;
      for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
      return text;
    };
    ExpectTrue(types == expected, "supported entity types", join(expected), join(types));
    for (const auto& entity : t.spec().entities()) ExpectDeclared(t, entity.service_name());
  }, ""});
  return cases;
}

}  // namespace cloudstate::tck
