#include "crdt/protocol_apply.h"

#include <limits>
#include <map>
#include <string>

#include "crdt/any_key.h"

namespace cloudstate::replicated {
namespace {

namespace pb = ::cloudstate::crdt;

RegisterClock ClockOf(pb::CrdtClock clock) {
  switch (clock) {
    case pb::REVERSE: return RegisterClock::kReverse;
    case pb::CUSTOM: return RegisterClock::kCustom;
    case pb::CUSTOM_AUTO_INCREMENT: return RegisterClock::kCustomAutoIncrement;
    default: return RegisterClock::kDefault;  // unknown clocks act as DEFAULT
  }
}

// Replays an ORMap delta on copies of just the entries it touches, so checking costs what the
// delta touches, not the size of the map.
Status CheckMapUpdate(const ORMapStore* current, const pb::ORMapDelta& update, int64_t now_ms) {
  std::map<std::string, std::optional<AnyStore>> touched;  // nullopt: absent
  bool cleared = update.cleared();
  auto value_of = [&](const std::string& key) -> std::optional<AnyStore>& {
    auto [it, fresh] = touched.try_emplace(key);
    if (fresh && !cleared && current != nullptr) {
      if (const AnyStore* value = current->Find(key)) it->second = *value;
    }
    return it->second;
  };
  for (const auto& key : update.removed()) value_of(AnyKey(key)).reset();
  ReplicaId scratch_self("check");
  DotContext scratch_context, scratch_delta_context;
  Mutation scratch(scratch_self, scratch_context, scratch_delta_context);
  for (const auto& entry : update.updated()) {
    std::optional<AnyStore>& value = value_of(AnyKey(entry.key()));
    if (!value || !CheckUpdate(&*value, entry.delta(), now_ms).ok()) continue;  // skipped, not an error
    AnyStore ignored = AnyStore::Empty(value->type());
    ApplyCheckedUpdate(*value, entry.delta(), scratch, ignored, now_ms);
  }
  for (const auto& entry : update.added()) {
    std::optional<AnyStore>& value = value_of(AnyKey(entry.key()));
    Status check = CheckUpdate(value ? &*value : nullptr, entry.delta(), now_ms);
    if (!check.ok()) return Status::InvalidArgument("ORMap entry: " + check.message());
    if (!value) value = AnyStore::Empty(*TypeOfDelta(entry.delta()));
    AnyStore ignored = AnyStore::Empty(value->type());
    ApplyCheckedUpdate(*value, entry.delta(), scratch, ignored, now_ms);
  }
  return Status::Ok();
}

void ApplyMapUpdate(ORMapStore& map, const pb::ORMapDelta& update, Mutation& mutation, ORMapStore& delta,
                    int64_t now_ms) {
  if (update.cleared()) map.Clear(mutation, delta);
  for (const auto& key : update.removed()) map.Remove(mutation, AnyKey(key), delta);
  for (const auto& entry : update.updated()) {
    std::string key = AnyKey(entry.key());
    const AnyStore* existing = map.Find(key);
    if (existing == nullptr || !CheckUpdate(existing, entry.delta(), now_ms).ok()) continue;
    auto [value, value_delta] = map.Touch(mutation, key, existing->type(), delta);
    ApplyCheckedUpdate(*value, entry.delta(), mutation, *value_delta, now_ms);
  }
  for (const auto& entry : update.added()) {
    auto [value, value_delta] = map.Touch(mutation, AnyKey(entry.key()), *TypeOfDelta(entry.delta()), delta);
    ApplyCheckedUpdate(*value, entry.delta(), mutation, *value_delta, now_ms);
  }
}

}  // namespace

std::optional<CrdtType> TypeOfDelta(const pb::CrdtDelta& delta) {
  if (delta.delta_case() == pb::CrdtDelta::DELTA_NOT_SET) return std::nullopt;
  return static_cast<CrdtType>(static_cast<int>(delta.delta_case()) - 1);
}

Status CheckUpdate(const AnyStore* current, const pb::CrdtDelta& update, int64_t now_ms) {
  std::optional<CrdtType> type = TypeOfDelta(update);
  if (!type) return Status::InvalidArgument("empty CrdtDelta");
  if (current != nullptr && current->type() != *type) {
    return Status::InvalidArgument(std::string(CrdtTypeName(*type)) + " delta for a " +
                                   std::string(CrdtTypeName(current->type())));
  }
  switch (*type) {
    case CrdtType::kGCounter: {
      uint64_t value = current ? current->As<GCounterStore>().Value() : 0;
      uint64_t limit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
      if (update.gcounter().increment() > limit - std::min(value, limit)) {
        return Status::InvalidArgument("GCounter would exceed the signed 64-bit range");
      }
      return Status::Ok();
    }
    case CrdtType::kFlag:
      if (!update.flag().value() && current != nullptr && current->As<FlagStore>().Value()) {
        return Status::InvalidArgument("cannot switch off an enabled Flag");
      }
      return Status::Ok();
    case CrdtType::kORMap:
      return CheckMapUpdate(current ? &current->As<ORMapStore>() : nullptr, update.ormap(), now_ms);
    default:
      return Status::Ok();
  }
}

void ApplyCheckedUpdate(AnyStore& store, const pb::CrdtDelta& update, Mutation& mutation, AnyStore& delta,
                        int64_t now_ms) {
  switch (store.type()) {
    case CrdtType::kGCounter:
      store.As<GCounterStore>().Increment(mutation, update.gcounter().increment(), delta.As<GCounterStore>());
      break;
    case CrdtType::kPNCounter:
      store.As<PNCounterStore>().Change(mutation, update.pncounter().change(), delta.As<PNCounterStore>());
      break;
    case CrdtType::kGSet:
      for (const auto& element : update.gset().added()) {
        store.As<GSetStore>().Add(mutation, AnyKey(element), delta.As<GSetStore>());
      }
      break;
    case CrdtType::kORSet: {
      auto& set = store.As<ORSetStore>();
      auto& set_delta = delta.As<ORSetStore>();
      if (update.orset().cleared()) set.Clear(mutation, set_delta);
      for (const auto& element : update.orset().removed()) set.Remove(mutation, AnyKey(element), set_delta);
      for (const auto& element : update.orset().added()) set.Add(mutation, AnyKey(element), set_delta);
      break;
    }
    case CrdtType::kLwwRegister: {
      const auto& write = update.lwwregister();
      // An absent value is written as an empty Any.
      store.As<LwwRegisterStore>().Write(mutation, AnyKey(write.value()), ClockOf(write.clock()),
                                         write.custom_clock_value(), now_ms, delta.As<LwwRegisterStore>());
      break;
    }
    case CrdtType::kFlag:
      if (update.flag().value()) store.As<FlagStore>().Enable(mutation, delta.As<FlagStore>());
      break;
    case CrdtType::kORMap:
      ApplyMapUpdate(store.As<ORMapStore>(), update.ormap(), mutation, delta.As<ORMapStore>(), now_ms);
      break;
    case CrdtType::kVote:
      // votes_for and total_voters are computed by the replica; a function only sets its own vote.
      store.As<VoteStore>().Vote(mutation, update.vote().self_vote(), delta.As<VoteStore>());
      break;
  }
}

}  // namespace cloudstate::replicated
