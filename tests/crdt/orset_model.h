// The observed-remove specification as a reference model: every add and remove is an operation
// that records which adds it has seen (and so cancels); an element is present for a replica iff
// some add of it the replica has seen is cancelled by no operation the replica has seen.
// Used for ORSet elements and for ORMap keys (an add or update of a key is an add).
#pragma once

#include <map>
#include <optional>
#include <set>

namespace cloudstate::replicated::testing {

struct SetOp {
  bool is_add = false;
  int element = 0;
  std::set<int> cancels;  // adds this operation saw and removes or replaces
};

class ORSetModel {
 public:
  std::set<int> Value(const std::set<int>& known) const {
    std::set<int> cancelled;
    for (int op : known) cancelled.insert(ops_.at(op).cancels.begin(), ops_.at(op).cancels.end());
    std::set<int> value;
    for (int op : known) {
      if (ops_.at(op).is_add && !cancelled.count(op)) value.insert(ops_.at(op).element);
    }
    return value;
  }
  // Records an operation done by a replica that has seen `known`; returns its id.
  int Record(const std::set<int>& known, bool is_add, std::optional<int> element) {
    SetOp op{is_add, element.value_or(-1), {}};
    std::set<int> cancelled;
    for (int seen : known) cancelled.insert(ops_.at(seen).cancels.begin(), ops_.at(seen).cancels.end());
    for (int seen : known) {
      const SetOp& other = ops_.at(seen);
      if (other.is_add && !cancelled.count(seen) && (!element || other.element == *element)) op.cancels.insert(seen);
    }
    int id = static_cast<int>(ops_.size());
    ops_[id] = std::move(op);
    return id;
  }

 private:
  std::map<int, SetOp> ops_;
};

}  // namespace cloudstate::replicated::testing
