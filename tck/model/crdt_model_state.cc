#include "crdt_model_state.h"

#include <algorithm>
#include <vector>

#include <google/protobuf/wrappers.pb.h>

namespace cloudstate::tck {
namespace {

constexpr const char* kPrimitiveString = "p.cloudstate.io/string";

LwwClock ClockOf(crdt_model::LWWRegisterClockType type) {
  switch (type) {
    case crdt_model::REVERSE: return LwwClock::kReverse;
    case crdt_model::CUSTOM: return LwwClock::kCustom;
    case crdt_model::CUSTOM_AUTO_INCREMENT: return LwwClock::kCustomAutoIncrement;
    default: return LwwClock::kDefault;
  }
}

std::optional<CrdtKind> KindOfUpdate(const crdt_model::Update& update) {
  using U = crdt_model::Update;
  switch (update.update_case()) {
    case U::kGcounter: return CrdtKind::kGCounter;
    case U::kPncounter: return CrdtKind::kPNCounter;
    case U::kGset: return CrdtKind::kGSet;
    case U::kOrset: return CrdtKind::kORSet;
    case U::kLwwregister: return CrdtKind::kLwwRegister;
    case U::kFlag: return CrdtKind::kFlag;
    case U::kOrmap: return CrdtKind::kORMap;
    case U::kVote: return CrdtKind::kVote;
    case U::UPDATE_NOT_SET: break;
  }
  return std::nullopt;
}

bool SameAny(const google::protobuf::Any& a, const google::protobuf::Any& b) {
  return a.type_url() == b.type_url() && a.value() == b.value();
}

std::vector<std::string> SortedTexts(const std::vector<google::protobuf::Any>& elements) {
  std::vector<std::string> texts;
  for (const auto& element : elements) texts.push_back(TextOf(element));
  std::sort(texts.begin(), texts.end());
  return texts;
}

}  // namespace

std::optional<CrdtKind> KindOfId(const std::string& id) {
  static const std::map<std::string, CrdtKind> kinds = {
      {"GCounter", CrdtKind::kGCounter}, {"PNCounter", CrdtKind::kPNCounter},
      {"GSet", CrdtKind::kGSet},         {"ORSet", CrdtKind::kORSet},
      {"LWWRegister", CrdtKind::kLwwRegister}, {"Flag", CrdtKind::kFlag},
      {"ORMap", CrdtKind::kORMap},       {"Vote", CrdtKind::kVote}};
  auto it = kinds.find(id.substr(0, id.find('-')));
  if (it == kinds.end()) return std::nullopt;
  return it->second;
}

google::protobuf::Any PrimitiveString(const std::string& text) {
  google::protobuf::StringValue value;  // the same bytes as the primitive's field 1
  value.set_value(text);
  google::protobuf::Any any;
  any.set_type_url(kPrimitiveString);
  any.set_value(value.SerializeAsString());
  return any;
}

std::string TextOf(const google::protobuf::Any& any) {
  google::protobuf::StringValue value;
  if (any.type_url() != kPrimitiveString || !value.ParseFromString(any.value())) return "";
  return value.value();
}

void PrepareCreated(CrdtValue& value) {
  if (value.kind() == CrdtKind::kLwwRegister) static_cast<LwwRegister&>(value).Set(PrimitiveString(""));
}

Status CrdtUpdater::Apply(CrdtValue& value, const crdt_model::Update& update) {
  using U = crdt_model::Update;
  std::optional<CrdtKind> kind = KindOfUpdate(update);
  if (!kind) return Status::InvalidArgument("an update that changes nothing");
  if (*kind != value.kind()) {
    return Status::InvalidArgument("a " + U::descriptor()->FindFieldByNumber(update.update_case())->name() +
                                   " update does not fit the CRDT it is applied to");
  }
  switch (update.update_case()) {
    case U::kGcounter: static_cast<GCounter&>(value).Increment(update.gcounter().increment()); break;
    case U::kPncounter: static_cast<PNCounter&>(value).Increment(update.pncounter().change()); break;
    case U::kGset: static_cast<GSet&>(value).Add(PrimitiveString(update.gset().add())); break;
    case U::kOrset: ApplyToSet(static_cast<ORSet&>(value), update.orset()); break;
    case U::kLwwregister: SetRegister(static_cast<LwwRegister&>(value), update.lwwregister()); break;
    case U::kFlag: static_cast<Flag&>(value).Enable(); break;
    case U::kOrmap: return ApplyToMap(static_cast<ORMap&>(value), update.ormap());
    case U::kVote: static_cast<Vote&>(value).SetVote(update.vote().self_vote()); break;
    case U::UPDATE_NOT_SET: break;
  }
  return Status::Ok();
}

void CrdtUpdater::ApplyToSet(ORSet& set, const crdt_model::ORSetUpdate& update) {
  if (update.has_add()) set.Add(PrimitiveString(update.add()));
  if (update.has_remove()) set.Remove(PrimitiveString(update.remove()));
  if (update.has_clear() && update.clear()) set.Clear();
}

Status CrdtUpdater::ApplyToMap(ORMap& map, const crdt_model::ORMapUpdate& update) {
  auto entry = [&map](const std::string& key) -> Result<CrdtValue*> {
    std::optional<CrdtKind> kind = KindOfId(key);
    if (!kind) return Status::InvalidArgument("the map key \"" + key + "\" names no CRDT kind");
    google::protobuf::Any packed = PrimitiveString(key);
    bool created = !map.Contains(packed);
    CrdtValue& value = map.GetOrCreate(packed, *kind);
    if (created) PrepareCreated(value);
    return &value;
  };
  switch (update.action_case()) {
    case crdt_model::ORMapUpdate::kAdd: return entry(update.add()).status();
    case crdt_model::ORMapUpdate::kUpdate: {
      Result<CrdtValue*> value = entry(update.update().key());
      if (!value.ok()) return value.status();
      return Apply(**value, update.update().update());
    }
    case crdt_model::ORMapUpdate::kRemove:
      map.Remove(PrimitiveString(update.remove()));
      pending_clocks_.clear();  // a register it held may have gone; its address may come back
      return Status::Ok();
    case crdt_model::ORMapUpdate::kClear:
      if (update.clear()) map.Clear();
      pending_clocks_.clear();
      return Status::Ok();
    case crdt_model::ORMapUpdate::ACTION_NOT_SET: break;
  }
  return Status::InvalidArgument("a map update that changes nothing");
}

void CrdtUpdater::SetRegister(LwwRegister& reg, const crdt_model::LWWRegisterUpdate& update) {
  std::pair<LwwClock, int64_t> clock{LwwClock::kDefault, 0};
  if (update.has_clock()) clock = {ClockOf(update.clock().clocktype()), update.clock().customclockvalue()};
  google::protobuf::Any value = PrimitiveString(update.value());
  auto pending = pending_clocks_.find(&reg);
  std::pair<LwwClock, int64_t> before =
      pending == pending_clocks_.end() ? std::pair<LwwClock, int64_t>{LwwClock::kDefault, 0} : pending->second;
  // The reference model writes only when the value or the clock differs from its pending write.
  if (SameAny(value, reg.Value()) && clock == before) return;
  reg.Set(std::move(value), clock.first, clock.second);
  pending_clocks_[&reg] = clock;
}

WriteConsistency ConsistencyOf(const crdt_model::Update& update) {
  switch (update.write_consistency()) {
    case crdt_model::MAJORITY: return WriteConsistency::kMajority;
    case crdt_model::ALL: return WriteConsistency::kAll;
    default: return WriteConsistency::kLocal;
  }
}

crdt_model::State RenderState(const CrdtValue& value) {
  crdt_model::State state;
  switch (value.kind()) {
    case CrdtKind::kGCounter: state.mutable_gcounter()->set_value(static_cast<const GCounter&>(value).Value()); break;
    case CrdtKind::kPNCounter: state.mutable_pncounter()->set_value(static_cast<const PNCounter&>(value).Value()); break;
    case CrdtKind::kGSet:
      state.mutable_gset();
      for (auto& text : SortedTexts(static_cast<const GSet&>(value).Elements())) state.mutable_gset()->add_elements(text);
      break;
    case CrdtKind::kORSet:
      state.mutable_orset();
      for (auto& text : SortedTexts(static_cast<const ORSet&>(value).Elements())) state.mutable_orset()->add_elements(text);
      break;
    case CrdtKind::kLwwRegister:
      state.mutable_lwwregister()->set_value(TextOf(static_cast<const LwwRegister&>(value).Value()));
      break;
    case CrdtKind::kFlag: state.mutable_flag()->set_value(static_cast<const Flag&>(value).Value()); break;
    case CrdtKind::kVote: {
      const auto& vote = static_cast<const Vote&>(value);
      state.mutable_vote()->set_self_vote(vote.SelfVote());
      state.mutable_vote()->set_votes_for(vote.VotesFor());
      state.mutable_vote()->set_total_voters(vote.TotalVoters());
      break;
    }
    case CrdtKind::kORMap: {
      auto& map = const_cast<ORMap&>(static_cast<const ORMap&>(value));  // ORMap has no const lookup
      std::map<std::string, const CrdtValue*> entries;
      for (const auto& key : map.Keys()) entries[TextOf(key)] = map.Get(key);
      crdt_model::ORMapValue* out = state.mutable_ormap();
      for (const auto& [key, entry] : entries) {
        crdt_model::ORMapEntryValue* item = out->add_entries();
        item->set_key(key);
        *item->mutable_value() = RenderState(*entry);
      }
      break;
    }
  }
  return state;
}

}  // namespace cloudstate::tck
