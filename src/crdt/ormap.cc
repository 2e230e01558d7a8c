#include "crdt/ormap.h"

#include "crdt/any_store.h"

namespace cloudstate::replicated {

MapEntry::MapEntry() = default;
MapEntry::MapEntry(const MapEntry& other)
    : presence(other.presence), value(other.value ? std::make_unique<AnyStore>(*other.value) : nullptr) {}
MapEntry::MapEntry(MapEntry&&) noexcept = default;
MapEntry& MapEntry::operator=(const MapEntry& other) {
  if (this != &other) *this = MapEntry(other);
  return *this;
}
MapEntry& MapEntry::operator=(MapEntry&&) noexcept = default;
MapEntry::~MapEntry() = default;

bool MapEntry::operator==(const MapEntry& other) const {
  if (presence != other.presence || (value == nullptr) != (other.value == nullptr)) return false;
  return value == nullptr || *value == *other.value;
}

const AnyStore* ORMapStore::Find(const std::string& key) const {
  auto it = entries.find(key);
  return it == entries.end() || !it->second.Visible() ? nullptr : it->second.value.get();
}

std::pair<AnyStore*, AnyStore*> ORMapStore::Touch(Mutation& mutation, const std::string& key, CrdtType type,
                                                  ORMapStore& delta) {
  MapEntry& entry = entries[key];
  if (!entry.Visible() && entry.value && !entry.value->IsEmpty()) {
    // Leftovers of a removed key: a re-added key starts from empty. The delta does not list the
    // leftovers' elements, so receivers must look at everything they hold.
    entry.value->ForEachDot([&mutation](const Dot& dot) { mutation.Supersede(dot); });
    entry.value.reset();
    mutation.MarkClear();
  }
  mutation.Supersede(entry.presence);
  Dot dot = mutation.NewDot();
  entry.presence = {dot};
  if (!entry.value) entry.value = std::make_unique<AnyStore>(AnyStore::Empty(type));
  auto [slot, fresh] = delta.entries.try_emplace(key);
  MapEntry& delta_entry = slot->second;
  // Removed earlier in this same delta: receivers must drop the old value's dots, which this delta
  // does not list, so it asks them to look at everything they hold.
  if (!fresh && !delta_entry.value) mutation.MarkClear();
  delta_entry.presence = {dot};
  // A removal earlier in the same delta left no value; the fresh value starts from empty.
  if (!delta_entry.value) delta_entry.value = std::make_unique<AnyStore>(AnyStore::Empty(type));
  return {entry.value.get(), delta_entry.value.get()};
}

void ORMapStore::Remove(Mutation& mutation, const std::string& key, ORMapStore& delta) {
  auto it = entries.find(key);
  if (it == entries.end()) return;
  mutation.Supersede(it->second.presence);
  if (it->second.value) it->second.value->ForEachDot([&mutation](const Dot& dot) { mutation.Supersede(dot); });
  entries.erase(it);
  delta.entries[key] = MapEntry();
}

void ORMapStore::Clear(Mutation& mutation, ORMapStore& delta) {
  if (entries.empty()) return;
  ForEachDot([&mutation](const Dot& dot) { mutation.Supersede(dot); });
  entries.clear();
  delta.entries.clear();
  mutation.MarkClear();
}

namespace {

// Joins one entry, presence and value each as dot stores; returns false when nothing is left.
bool JoinEntry(MapEntry& entry, const MapEntry& theirs, const DotContext& mine, const DotContext& their_context,
               bool touched_only) {
  JoinDotSet(entry.presence, mine, theirs.presence, their_context);
  if (!theirs.value) {
    if (entry.value) entry.value->DropSeen(their_context);
  } else if (!entry.value) {
    entry.value = std::make_unique<AnyStore>(AnyStore::Empty(theirs.value->type()));
    entry.value->Join(*theirs.value, mine, their_context, touched_only);
  } else {
    entry.value->Join(*theirs.value, mine, their_context, touched_only);
  }
  if (entry.value && entry.value->IsEmpty()) entry.value.reset();
  return !entry.presence.empty() || entry.value != nullptr;
}

}  // namespace

void ORMapStore::Join(const ORMapStore& theirs, const DotContext& mine, const DotContext& their_context,
                      bool touched_only) {
  static const MapEntry kRemoved;
  if (!touched_only) {
    for (auto it = entries.begin(); it != entries.end();) {
      if (theirs.entries.count(it->first)) {
        ++it;
        continue;
      }
      it = JoinEntry(it->second, kRemoved, mine, their_context, touched_only) ? std::next(it) : entries.erase(it);
    }
  }
  for (const auto& [key, their_entry] : theirs.entries) {
    auto it = entries.try_emplace(key).first;
    if (!JoinEntry(it->second, their_entry, mine, their_context, touched_only)) entries.erase(it);
  }
}

void ORMapStore::ForEachDot(const std::function<void(const Dot&)>& fn) const {
  for (const auto& [key, entry] : entries) {
    for (const Dot& dot : entry.presence) fn(dot);
    if (entry.value) entry.value->ForEachDot(fn);
  }
}

}  // namespace cloudstate::replicated
