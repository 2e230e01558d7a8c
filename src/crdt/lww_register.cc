#include "crdt/lww_register.h"

namespace cloudstate::replicated {

bool Wins(const StampedValue& a, const StampedValue& b) {
  if (a.timestamp != b.timestamp) return a.timestamp > b.timestamp;
  if (a.writer != b.writer) return a.writer < b.writer;
  return a.value < b.value;
}

int64_t NextTimestamp(RegisterClock clock, int64_t current, int64_t custom_value, int64_t now_ms) {
  switch (clock) {
    case RegisterClock::kReverse:
      return current <= -now_ms ? current - 1 : -now_ms;
    case RegisterClock::kCustom:
      return custom_value;
    case RegisterClock::kCustomAutoIncrement:
      return custom_value <= current ? current + 1 : custom_value;
    case RegisterClock::kDefault:
      break;
  }
  return current >= now_ms ? current + 1 : now_ms;
}

const StampedValue* LwwRegisterStore::Winner() const {
  const StampedValue* winner = nullptr;
  for (const auto& entry : writes) {
    if (winner == nullptr || Wins(entry.second, *winner)) winner = &entry.second;
  }
  return winner;
}

void LwwRegisterStore::Write(Mutation& mutation, std::string value, RegisterClock clock, int64_t custom_value,
                             int64_t now_ms, LwwRegisterStore& delta) {
  const StampedValue* current = Winner();
  StampedValue candidate{std::move(value), NextTimestamp(clock, current ? current->timestamp : 0, custom_value, now_ms),
                         mutation.self()};
  if (current != nullptr && !Wins(candidate, *current)) return;
  for (const auto& entry : writes) mutation.Supersede(entry.first);
  writes.clear();
  delta.writes.clear();
  Dot dot = mutation.NewDot();
  writes.emplace(dot, candidate);
  delta.writes.emplace(dot, std::move(candidate));
}

}  // namespace cloudstate::replicated
