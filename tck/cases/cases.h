// The kit's groups of cases, each in the order of its specification table.
#pragma once

#include <vector>

#include "driver/case.h"

namespace cloudstate::tck {

std::vector<Case> DiscoveryCases();         // PX-01
std::vector<Case> ActionModelCases();       // AC-M-01 .. AC-M-34
std::vector<Case> ValueEntityModelCases();  // VE-M-01 .. VE-M-19
std::vector<Case> EventSourcedModelCases(); // ES-M-01 .. ES-M-21
std::vector<Case> CrdtModelCases();         // CR-M-01 .. CR-M-82
std::vector<Case> ActionProxyCases();       // AC-P-01 .. AC-P-09
std::vector<Case> ValueEntityProxyCases();  // VE-P-01 .. VE-P-05
std::vector<Case> EventSourcedProxyCases(); // ES-P-01 .. ES-P-05
std::vector<Case> CrdtProxyCases();         // CR-P-01 .. CR-P-06
std::vector<Case> ReflectionCases();        // PX-02
std::vector<Case> EventingCases();          // EV-01 .. EV-03

}  // namespace cloudstate::tck
