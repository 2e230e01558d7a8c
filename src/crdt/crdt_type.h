// The eight CRDT kinds, numbered like the protocol's CrdtDelta oneof minus one.
#pragma once

#include <string_view>

namespace cloudstate::replicated {

enum class CrdtType { kGCounter, kPNCounter, kGSet, kORSet, kLwwRegister, kFlag, kORMap, kVote };

inline std::string_view CrdtTypeName(CrdtType type) {
  switch (type) {
    case CrdtType::kGCounter: return "GCounter";
    case CrdtType::kPNCounter: return "PNCounter";
    case CrdtType::kGSet: return "GSet";
    case CrdtType::kORSet: return "ORSet";
    case CrdtType::kLwwRegister: return "LWWRegister";
    case CrdtType::kFlag: return "Flag";
    case CrdtType::kORMap: return "ORMap";
    case CrdtType::kVote: return "Vote";
  }
  return "unknown";
}

}  // namespace cloudstate::replicated
