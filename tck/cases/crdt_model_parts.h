// What the CRDT model cases share: the conversation with the function's Crdt.handle, the case row,
// the sorted comparison (≈ in the specification) and the cases every CRDT kind has alike. The
// group is split by kind over crdt_*_cases.cc; CrdtModelCases() puts them in order.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "crdt_messages.h"
#include "driver/case.h"
#include "driver/model_stream.h"

namespace cloudstate::tck::cr {

using Stream = ModelStream<In, Out>;

Stream Open(Tck& t);

// A model case whose entity id names `kind`.
Case M(std::string id, std::string name, std::string kind, std::function<void(Tck&, const std::string&)> body);

// The next message is `expected` once the lists of its update delta are sorted.
void ExpectSorted(Stream& s, const Out& expected);

// "initial empty state": the first command of a fresh entity answers `empty` (with `parts`).
Case InitialEmpty(std::string id, std::string kind, cmodel::State empty, Parts parts = {});
// "delete action sent to entity": the function says nothing after the proxy's delete.
Case DeleteSent(std::string id, std::string kind);

std::vector<Case> CounterCases();   // CR-M-03 .. CR-M-18
std::vector<Case> SetCases();       // CR-M-19 .. CR-M-34
std::vector<Case> RegisterCases();  // CR-M-35 .. CR-M-51 (LWWRegister, Flag)
std::vector<Case> MapCases();       // CR-M-52 .. CR-M-59
std::vector<Case> VoteCases();      // CR-M-60 .. CR-M-67

}  // namespace cloudstate::tck::cr
