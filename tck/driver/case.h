// One case of the kit, as a row of a group's table: id and name as in the specification, the
// services it needs in the user function's spec, the proxy features it needs, and its body.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tck.h"

namespace cloudstate::tck {

// Proxy features a case needs, combined with |.
enum class Needs : unsigned { kNothing = 0, kHttpJson = 1, kServerReflection = 2, kCrdt = 4, kEventing = 8 };
constexpr Needs operator|(Needs a, Needs b) { return Needs(unsigned(a) | unsigned(b)); }
constexpr bool Includes(Needs needs, Needs feature) { return (unsigned(needs) & unsigned(feature)) != 0; }

struct Case {
  std::string id;    // "ES-P-01"
  std::string name;  // "verify state changes"
  std::vector<std::string> services;  // all must be entities of the spec, else the case is skipped
  Needs needs = Needs::kNothing;
  std::function<void(Tck&)> run;
  std::string skip;  // non-empty: a feature of a later issue; reported skipped with this reason
};

// Reasons for skipping the cases of a feature the proxy under test lacks.
inline constexpr const char* kCrdtNotHosted = "CRDT entities: not hosted by the proxy";
inline constexpr const char* kEventingNotSupported = "the proxy under test does not support event-log eventing";
inline constexpr const char* kHttpNotServed = "HTTP/JSON: not served yet";
inline constexpr const char* kReflectionNotServed = "server reflection: not served yet";

}  // namespace cloudstate::tck
