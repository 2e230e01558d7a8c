#include "crdt/protocol_view.h"

#include <map>
#include <set>
#include <string>

#include "crdt/any_key.h"
#include "crdt/protocol_apply.h"

namespace cloudstate::replicated {
namespace {

namespace pb = ::cloudstate::crdt;
using google::protobuf::Any;
using google::protobuf::RepeatedPtrField;

std::set<std::string> KeysOf(const RepeatedPtrField<Any>& elements) {
  std::set<std::string> keys;
  for (const Any& element : elements) keys.insert(AnyKey(element));
  return keys;
}

void AddAll(const std::set<std::string>& keys, RepeatedPtrField<Any>* out) {
  for (const std::string& key : keys) *out->Add() = AnyFromKey(key);
}

std::set<std::string> Minus(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> result;
  for (const std::string& key : a) {
    if (!b.count(key)) result.insert(key);
  }
  return result;
}

ViewChange Updated(pb::CrdtDelta delta) { return {ViewChange::kUpdated, std::move(delta)}; }
ViewChange Incompatible() { return {ViewChange::kIncompatible, {}}; }

ViewChange DiffORSet(const pb::ORSetDelta& old_view, const pb::ORSetDelta& new_view) {
  std::set<std::string> before = KeysOf(old_view.added());
  std::set<std::string> after = KeysOf(new_view.added());
  pb::CrdtDelta delta;
  pb::ORSetDelta* out = delta.mutable_orset();
  if (after.empty()) {
    if (before.empty()) return {};
    out->set_cleared(true);
    return Updated(std::move(delta));
  }
  std::set<std::string> removed = Minus(before, after);
  std::set<std::string> added = Minus(after, before);
  if (removed.empty() && added.empty()) return {};
  // Cheaper to resend everything than to list more changes than there are elements.
  if (removed.size() + added.size() > after.size()) {
    out->set_cleared(true);
    AddAll(after, out->mutable_added());
  } else {
    AddAll(removed, out->mutable_removed());
    AddAll(added, out->mutable_added());
  }
  return Updated(std::move(delta));
}

ViewChange DiffORMap(const pb::ORMapDelta& old_view, const pb::ORMapDelta& new_view) {
  std::map<std::string, const pb::CrdtDelta*> before;
  for (const auto& entry : old_view.added()) before[AnyKey(entry.key())] = &entry.delta();
  pb::CrdtDelta delta;
  pb::ORMapDelta* out = delta.mutable_ormap();
  if (new_view.added().empty()) {
    if (before.empty()) return {};
    out->set_cleared(true);
    return Updated(std::move(delta));
  }
  std::set<std::string> still_there;
  for (const auto& entry : new_view.added()) {
    std::string key = AnyKey(entry.key());
    still_there.insert(key);
    auto old = before.find(key);
    if (old == before.end()) {
      *out->add_added() = entry;
      continue;
    }
    ViewChange change = DiffViews(*old->second, entry.delta());
    if (change.kind == ViewChange::kUpdated) {
      pb::ORMapEntryDelta* updated = out->add_updated();
      *updated->mutable_key() = entry.key();
      *updated->mutable_delta() = std::move(change.delta);
    } else if (change.kind == ViewChange::kIncompatible) {
      *out->add_removed() = entry.key();
      *out->add_added() = entry;
    }
  }
  for (const auto& [key, unused] : before) {
    if (!still_there.count(key)) *out->add_removed() = AnyFromKey(key);
  }
  if (out->removed().empty() && out->updated().empty() && out->added().empty()) return {};
  return Updated(std::move(delta));
}

}  // namespace

pb::CrdtDelta ViewOf(const AnyStore& store, const VoterSet& voters) {
  pb::CrdtDelta view;
  switch (store.type()) {
    case CrdtType::kGCounter:
      view.mutable_gcounter()->set_increment(store.As<GCounterStore>().Value());
      break;
    case CrdtType::kPNCounter:
      view.mutable_pncounter()->set_change(store.As<PNCounterStore>().Value());
      break;
    case CrdtType::kGSet:
      view.mutable_gset();  // an empty set is still a set
      for (const auto& entry : store.As<GSetStore>().elements) *view.mutable_gset()->add_added() = AnyFromKey(entry.first);
      break;
    case CrdtType::kORSet:
      view.mutable_orset();
      for (const auto& entry : store.As<ORSetStore>().elements) *view.mutable_orset()->add_added() = AnyFromKey(entry.first);
      break;
    case CrdtType::kLwwRegister: {
      const StampedValue* winner = store.As<LwwRegisterStore>().Winner();
      *view.mutable_lwwregister()->mutable_value() = winner ? AnyFromKey(winner->value) : Any();
      break;
    }
    case CrdtType::kFlag:
      view.mutable_flag()->set_value(store.As<FlagStore>().Value());
      break;
    case CrdtType::kORMap:
      view.mutable_ormap();
      for (const auto& [key, entry] : store.As<ORMapStore>().entries) {
        if (!entry.Visible() || !entry.value) continue;
        pb::ORMapEntryDelta* out = view.mutable_ormap()->add_added();
        *out->mutable_key() = AnyFromKey(key);
        *out->mutable_delta() = ViewOf(*entry.value, voters);
      }
      break;
    case CrdtType::kVote: {
      std::vector<ReplicaId> up = voters.up.empty() ? std::vector<ReplicaId>{voters.self} : voters.up;
      VoteTally tally = store.As<VoteStore>().Tally(voters.self, up);
      view.mutable_vote()->set_self_vote(tally.self_vote);
      view.mutable_vote()->set_votes_for(tally.votes_for);
      view.mutable_vote()->set_total_voters(tally.total_voters);
      break;
    }
  }
  return view;
}

ViewChange DiffViews(const pb::CrdtDelta& old_view, const pb::CrdtDelta& new_view) {
  if (old_view.delta_case() != new_view.delta_case() || !TypeOfDelta(new_view)) return Incompatible();
  pb::CrdtDelta delta;
  switch (*TypeOfDelta(new_view)) {
    case CrdtType::kGCounter: {
      uint64_t before = old_view.gcounter().increment(), after = new_view.gcounter().increment();
      if (after < before) return Incompatible();
      if (after == before) return {};
      delta.mutable_gcounter()->set_increment(after - before);
      return Updated(std::move(delta));
    }
    case CrdtType::kPNCounter: {
      int64_t before = old_view.pncounter().change(), after = new_view.pncounter().change();
      if (after == before) return {};
      delta.mutable_pncounter()->set_change(static_cast<int64_t>(static_cast<uint64_t>(after) - before));
      return Updated(std::move(delta));
    }
    case CrdtType::kGSet: {
      std::set<std::string> before = KeysOf(old_view.gset().added());
      std::set<std::string> after = KeysOf(new_view.gset().added());
      if (!Minus(before, after).empty()) return Incompatible();
      std::set<std::string> added = Minus(after, before);
      if (added.empty()) return {};
      AddAll(added, delta.mutable_gset()->mutable_added());
      return Updated(std::move(delta));
    }
    case CrdtType::kORSet:
      return DiffORSet(old_view.orset(), new_view.orset());
    case CrdtType::kLwwRegister:
      if (AnyKey(old_view.lwwregister().value()) == AnyKey(new_view.lwwregister().value())) return {};
      *delta.mutable_lwwregister()->mutable_value() = new_view.lwwregister().value();
      return Updated(std::move(delta));
    case CrdtType::kFlag:
      if (old_view.flag().value() && !new_view.flag().value()) return Incompatible();
      if (old_view.flag().value() == new_view.flag().value()) return {};
      delta.mutable_flag()->set_value(true);
      return Updated(std::move(delta));
    case CrdtType::kORMap:
      return DiffORMap(old_view.ormap(), new_view.ormap());
    case CrdtType::kVote: {
      const pb::VoteDelta& before = old_view.vote();
      const pb::VoteDelta& after = new_view.vote();
      if (before.self_vote() == after.self_vote() && before.votes_for() == after.votes_for() &&
          before.total_voters() == after.total_voters()) {
        return {};
      }
      *delta.mutable_vote() = after;
      return Updated(std::move(delta));
    }
  }
  return Incompatible();
}

}  // namespace cloudstate::replicated
