// ORMap: an observed-remove map from Any keys to CRDT values, nested to any depth. A key is in the
// map while one of its presence dots lives; every add or update of the key renews its presence, so
// an update wins over a concurrent remove. All values share the map's causal context, so removing
// a key drops exactly the value dots the remover saw: the value resets, while a concurrent update's
// dots survive and every replica ends with the same value whatever order it sees them in.
// Value dots no remover saw can outlive the key's presence; such an entry stays hidden (not in the
// map) until a later remove or clear that sees it, or a re-add that supersedes it, drops them.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "crdt/crdt_type.h"
#include "crdt/mutation.h"

namespace cloudstate::replicated {

struct AnyStore;

struct MapEntry {
  DotSet presence;
  // Null in a delta entry that only records a removal: "drop what I saw of this key".
  std::unique_ptr<AnyStore> value;

  MapEntry();
  MapEntry(const MapEntry& other);
  MapEntry(MapEntry&&) noexcept;
  MapEntry& operator=(const MapEntry& other);
  MapEntry& operator=(MapEntry&&) noexcept;
  ~MapEntry();
  bool operator==(const MapEntry& other) const;
  bool Visible() const { return !presence.empty(); }
};

struct ORMapStore {
  std::map<std::string, MapEntry> entries;  // key: serialized Any

  // The value of a key in the map (hidden entries are not), or null.
  const AnyStore* Find(const std::string& key) const;
  // Renews the key's presence and returns its value and the value's slot in the delta, creating
  // both (of `type`) when absent. The caller has checked that an existing value is of `type`.
  std::pair<AnyStore*, AnyStore*> Touch(Mutation& mutation, const std::string& key, CrdtType type,
                                        ORMapStore& delta);
  void Remove(Mutation& mutation, const std::string& key, ORMapStore& delta);
  void Clear(Mutation& mutation, ORMapStore& delta);

  void Join(const ORMapStore& theirs, const DotContext& mine, const DotContext& their_context, bool touched_only);
  bool Empty() const { return entries.empty(); }
  void ForEachDot(const std::function<void(const Dot&)>& fn) const;
  bool operator==(const ORMapStore&) const = default;
};

}  // namespace cloudstate::replicated
