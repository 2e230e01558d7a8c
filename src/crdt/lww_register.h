// LWWRegister: a value with a timestamp and its writer; the highest timestamp wins, a tie goes to
// the lower writer id (then the lower value bytes, so the order is total). Concurrent writes live
// side by side under their dots until a later write supersedes them; the value is their winner.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "crdt/mutation.h"

namespace cloudstate::replicated {

struct StampedValue {
  std::string value;  // a serialized protobuf Any
  int64_t timestamp = 0;
  ReplicaId writer;
  bool operator==(const StampedValue&) const = default;
};

// True when `a` beats `b`.
bool Wins(const StampedValue& a, const StampedValue& b);

// How a write's timestamp is derived from the current one (the protocol's CrdtClock).
enum class RegisterClock { kDefault, kReverse, kCustom, kCustomAutoIncrement };

int64_t NextTimestamp(RegisterClock clock, int64_t current, int64_t custom_value, int64_t now_ms);

struct LwwRegisterStore {
  DotFun<StampedValue> writes;

  // The winning write, or none for a register never written.
  const StampedValue* Winner() const;
  // The result is the winner of the current and the new write, so a write can lose (a REVERSE or
  // CUSTOM clock behind the current timestamp); then nothing changes and there is no delta.
  void Write(Mutation& mutation, std::string value, RegisterClock clock, int64_t custom_value, int64_t now_ms,
             LwwRegisterStore& delta);

  void Join(const LwwRegisterStore& theirs, const DotContext& mine, const DotContext& their_context, bool) {
    JoinDotFun(writes, mine, theirs.writes, their_context);
  }
  bool Empty() const { return writes.empty(); }
  void ForEachDot(const std::function<void(const Dot&)>& fn) const {
    for (const auto& entry : writes) fn(entry.first);
  }
  bool operator==(const LwwRegisterStore&) const = default;
};

}  // namespace cloudstate::replicated
