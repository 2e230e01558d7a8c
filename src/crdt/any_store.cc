#include "crdt/any_store.h"

#include <utility>

namespace cloudstate::replicated {
namespace {

template <size_t... I>
AnyStore::Variant EmptyOf(size_t index, std::index_sequence<I...>) {
  AnyStore::Variant result;
  ((index == I ? (result.emplace<I>(), 0) : 0), ...);
  return result;
}

}  // namespace

AnyStore AnyStore::Empty(CrdtType type) {
  return AnyStore{EmptyOf(static_cast<size_t>(type), std::make_index_sequence<std::variant_size_v<Variant>>{})};
}

bool AnyStore::IsEmpty() const {
  return std::visit([](const auto& s) { return s.Empty(); }, store);
}

void AnyStore::ForEachDot(const std::function<void(const Dot&)>& fn) const {
  std::visit([&fn](const auto& s) { s.ForEachDot(fn); }, store);
}

size_t AnyStore::DotCount() const {
  size_t count = 0;
  ForEachDot([&count](const Dot&) { ++count; });
  return count;
}

void AnyStore::Join(const AnyStore& theirs, const DotContext& mine, const DotContext& their_context,
                    bool touched_only) {
  if (theirs.store.index() < store.index()) return;
  if (theirs.store.index() > store.index()) {
    AnyStore replacement = Empty(theirs.type());
    replacement.Join(theirs, mine, their_context, touched_only);
    *this = std::move(replacement);
    return;
  }
  std::visit(
      [&](auto& mine_store) {
        using Store = std::decay_t<decltype(mine_store)>;
        mine_store.Join(std::get<Store>(theirs.store), mine, their_context, touched_only);
      },
      store);
}

void AnyStore::DropSeen(const DotContext& their_context) {
  static const DotContext kNothingSeen;
  Join(Empty(type()), kNothingSeen, their_context, /*touched_only=*/false);
}

}  // namespace cloudstate::replicated
