// "Some CRDT store": what an ORMap value or a whole replica holds, one of the eight kinds.
// The variant's index is the CrdtType.
#pragma once

#include <variant>

#include "crdt/crdt_type.h"
#include "crdt/flag.h"
#include "crdt/gcounter.h"
#include "crdt/gset.h"
#include "crdt/lww_register.h"
#include "crdt/ormap.h"
#include "crdt/orset.h"
#include "crdt/pncounter.h"
#include "crdt/vote.h"

namespace cloudstate::replicated {

struct AnyStore {
  using Variant = std::variant<GCounterStore, PNCounterStore, GSetStore, ORSetStore, LwwRegisterStore, FlagStore,
                               ORMapStore, VoteStore>;
  Variant store;

  static AnyStore Empty(CrdtType type);
  CrdtType type() const { return static_cast<CrdtType>(store.index()); }
  bool IsEmpty() const;
  void ForEachDot(const std::function<void(const Dot&)>& fn) const;
  size_t DotCount() const;

  // Stores of different kinds under one ORMap key (two replicas created the key concurrently with
  // different types): the higher CrdtType wins, deterministically, and the other is dropped.
  void Join(const AnyStore& theirs, const DotContext& mine, const DotContext& their_context, bool touched_only);
  // Drops every dot `their_context` has seen: the join with a side that removed everything it saw.
  void DropSeen(const DotContext& their_context);

  template <typename T>
  T& As() { return std::get<T>(store); }
  template <typename T>
  const T& As() const { return std::get<T>(store); }

  bool operator==(const AnyStore&) const = default;
};

}  // namespace cloudstate::replicated
