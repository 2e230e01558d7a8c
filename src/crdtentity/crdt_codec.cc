#include "crdtentity/crdt_codec.h"

#include <string>
#include <utility>

#include "crdtentity/element_key.h"

namespace cloudstate::internal {
namespace {

namespace pb = ::cloudstate::crdt;
using google::protobuf::Any;
using google::protobuf::RepeatedPtrField;

Status Mismatch(const CrdtValue& value, const pb::CrdtDelta& delta) {
  const google::protobuf::FieldDescriptor* field =
      pb::CrdtDelta::descriptor()->FindFieldByNumber(static_cast<int>(delta.delta_case()));
  return Status::InvalidArgument("a delta for " + (field ? field->name() : std::string("nothing")) +
                                 " does not fit the entity's CRDT (kind " +
                                 std::to_string(static_cast<int>(value.kind())) + ")");
}

std::optional<CrdtKind> KindOf(const pb::CrdtDelta& delta) {
  if (delta.delta_case() == pb::CrdtDelta::DELTA_NOT_SET) return std::nullopt;
  return static_cast<CrdtKind>(static_cast<int>(delta.delta_case()) - 1);
}

void AddAll(const std::map<std::string, Any>& elements, RepeatedPtrField<Any>* out) {
  for (const auto& [key, element] : elements) *out->Add() = element;
}

pb::CrdtClock ClockOf(LwwClock clock) {
  switch (clock) {
    case LwwClock::kDefault: return pb::DEFAULT;
    case LwwClock::kReverse: return pb::REVERSE;
    case LwwClock::kCustom: return pb::CUSTOM;
    case LwwClock::kCustomAutoIncrement: return pb::CUSTOM_AUTO_INCREMENT;
  }
  return pb::DEFAULT;
}

}  // namespace

Result<std::unique_ptr<CrdtValue>> CrdtCodec::FromView(const pb::CrdtDelta& view) {
  std::optional<CrdtKind> kind = KindOf(view);
  if (!kind) return Status::InvalidArgument("received an empty CrdtDelta as a CRDT's state");
  std::unique_ptr<CrdtValue> value = NewCrdt(*kind);
  if (Status status = Apply(*value, view); !status.ok()) return status;
  return value;
}

Status CrdtCodec::Apply(CrdtValue& value, const pb::CrdtDelta& delta) {
  if (KindOf(delta) != value.kind()) return Mismatch(value, delta);
  switch (value.kind()) {
    case CrdtKind::kGCounter: static_cast<GCounter&>(value).value_ += delta.gcounter().increment(); break;
    case CrdtKind::kPNCounter: {
      auto& counter = static_cast<PNCounter&>(value);
      counter.value_ = static_cast<int64_t>(static_cast<uint64_t>(counter.value_) +
                                            static_cast<uint64_t>(delta.pncounter().change()));
      break;
    }
    case CrdtKind::kGSet: {
      auto& set = static_cast<GSet&>(value);
      for (const Any& element : delta.gset().added()) set.elements_.emplace(crdtentity::ElementKey(element), element);
      break;
    }
    case CrdtKind::kORSet: {
      auto& set = static_cast<ORSet&>(value);
      const pb::ORSetDelta& d = delta.orset();
      if (d.cleared()) set.elements_.clear();
      for (const Any& element : d.removed()) set.elements_.erase(crdtentity::ElementKey(element));
      for (const Any& element : d.added()) set.elements_.emplace(crdtentity::ElementKey(element), element);
      break;
    }
    case CrdtKind::kLwwRegister: static_cast<LwwRegister&>(value).value_ = delta.lwwregister().value(); break;
    case CrdtKind::kFlag: {
      // A flag only goes on: a delta saying false changes nothing, as in the reference support.
      auto& flag = static_cast<Flag&>(value);
      flag.value_ = flag.value_ || delta.flag().value();
      break;
    }
    case CrdtKind::kVote: {
      auto& vote = static_cast<Vote&>(value);
      vote.self_vote_ = delta.vote().self_vote();
      vote.votes_for_ = delta.vote().votes_for();
      vote.total_voters_ = delta.vote().total_voters();
      break;
    }
    case CrdtKind::kORMap: {
      auto& map = static_cast<ORMap&>(value);
      const pb::ORMapDelta& d = delta.ormap();
      if (d.cleared()) map.entries_.clear();
      for (const Any& key : d.removed()) map.entries_.erase(crdtentity::ElementKey(key));
      for (const pb::ORMapEntryDelta& entry : d.updated()) {
        auto it = map.entries_.find(crdtentity::ElementKey(entry.key()));
        if (it == map.entries_.end()) return Status::InvalidArgument("a delta updated a key the map does not hold");
        if (Status status = Apply(*it->second.value, entry.delta()); !status.ok()) return status;
      }
      for (const pb::ORMapEntryDelta& entry : d.added()) {
        Result<std::unique_ptr<CrdtValue>> added = FromView(entry.delta());
        if (!added.ok()) return added.status();
        ORMap::Entry& slot = map.entries_[crdtentity::ElementKey(entry.key())];
        slot.key = entry.key();
        slot.value = std::move(*added);
      }
      break;
    }
  }
  return Status::Ok();
}

std::optional<pb::CrdtDelta> CrdtCodec::TakeDelta(CrdtValue& value, bool created) {
  pb::CrdtDelta delta;
  bool changed = created;
  switch (value.kind()) {
    case CrdtKind::kGCounter: {
      auto& counter = static_cast<GCounter&>(value);
      changed = changed || counter.delta_ != 0;
      delta.mutable_gcounter()->set_increment(created ? counter.value_ : counter.delta_);
      counter.delta_ = 0;
      break;
    }
    case CrdtKind::kPNCounter: {
      auto& counter = static_cast<PNCounter&>(value);
      changed = changed || counter.delta_ != 0;
      delta.mutable_pncounter()->set_change(created ? counter.value_ : counter.delta_);
      counter.delta_ = 0;
      break;
    }
    case CrdtKind::kGSet: {
      auto& set = static_cast<GSet&>(value);
      changed = changed || !set.added_.empty();
      AddAll(created ? set.elements_ : set.added_, delta.mutable_gset()->mutable_added());
      set.added_.clear();
      break;
    }
    case CrdtKind::kORSet: {
      auto& set = static_cast<ORSet&>(value);
      changed = changed || set.cleared_ || !set.added_.empty() || !set.removed_.empty();
      pb::ORSetDelta* out = delta.mutable_orset();
      if (created) {
        AddAll(set.elements_, out->mutable_added());
      } else {
        out->set_cleared(set.cleared_);
        AddAll(set.removed_, out->mutable_removed());
        AddAll(set.added_, out->mutable_added());
      }
      set.cleared_ = false;
      set.added_.clear();
      set.removed_.clear();
      break;
    }
    case CrdtKind::kLwwRegister: {
      auto& reg = static_cast<LwwRegister&>(value);
      changed = changed || reg.changed_;
      pb::LWWRegisterDelta* out = delta.mutable_lwwregister();
      *out->mutable_value() = reg.value_;
      if (reg.changed_) {
        out->set_clock(ClockOf(reg.clock_));
        out->set_custom_clock_value(reg.custom_clock_value_);
      }
      reg.changed_ = false;
      break;
    }
    case CrdtKind::kFlag: {
      auto& flag = static_cast<Flag&>(value);
      changed = changed || flag.changed_;
      delta.mutable_flag()->set_value(flag.value_);
      flag.changed_ = false;
      break;
    }
    case CrdtKind::kVote: {
      auto& vote = static_cast<Vote&>(value);
      changed = changed || vote.changed_;
      delta.mutable_vote()->set_self_vote(vote.self_vote_);
      vote.changed_ = false;
      break;
    }
    case CrdtKind::kORMap: {
      auto& map = static_cast<ORMap&>(value);
      pb::ORMapDelta* out = delta.mutable_ormap();
      changed = changed || map.cleared_ || !map.removed_.empty();
      if (!created) {
        out->set_cleared(map.cleared_);
        AddAll(map.removed_, out->mutable_removed());
      }
      for (auto& [bytes, entry] : map.entries_) {
        bool added = created || map.added_.count(bytes) != 0;
        std::optional<pb::CrdtDelta> nested = TakeDelta(*entry.value, added);
        if (!nested) continue;
        changed = true;
        pb::ORMapEntryDelta* item = added ? out->add_added() : out->add_updated();
        *item->mutable_key() = entry.key;
        *item->mutable_delta() = std::move(*nested);
      }
      map.cleared_ = false;
      map.removed_.clear();
      map.added_.clear();
      break;
    }
  }
  if (!changed) return std::nullopt;
  return delta;
}

pb::CrdtDelta CrdtCodec::View(const CrdtValue& value) {
  // TakeDelta on a copy would need copyable values; the view is the created form, minus resets.
  pb::CrdtDelta view;
  switch (value.kind()) {
    case CrdtKind::kGCounter: view.mutable_gcounter()->set_increment(static_cast<const GCounter&>(value).value_); break;
    case CrdtKind::kPNCounter: view.mutable_pncounter()->set_change(static_cast<const PNCounter&>(value).value_); break;
    case CrdtKind::kGSet: AddAll(static_cast<const GSet&>(value).elements_, view.mutable_gset()->mutable_added()); break;
    case CrdtKind::kORSet:
      AddAll(static_cast<const ORSet&>(value).elements_, view.mutable_orset()->mutable_added());
      break;
    case CrdtKind::kLwwRegister:
      *view.mutable_lwwregister()->mutable_value() = static_cast<const LwwRegister&>(value).value_;
      break;
    case CrdtKind::kFlag: view.mutable_flag()->set_value(static_cast<const Flag&>(value).value_); break;
    case CrdtKind::kVote: {
      const auto& vote = static_cast<const Vote&>(value);
      view.mutable_vote()->set_self_vote(vote.self_vote_);
      view.mutable_vote()->set_votes_for(vote.votes_for_);
      view.mutable_vote()->set_total_voters(vote.total_voters_);
      break;
    }
    case CrdtKind::kORMap: {
      pb::ORMapDelta* out = view.mutable_ormap();
      for (const auto& [bytes, entry] : static_cast<const ORMap&>(value).entries_) {
        pb::ORMapEntryDelta* item = out->add_added();
        *item->mutable_key() = entry.key;
        *item->mutable_delta() = View(*entry.value);
      }
      break;
    }
  }
  return view;
}

}  // namespace cloudstate::internal
