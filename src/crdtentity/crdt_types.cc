// The typed CRDT values handlers see: each keeps the current value and what changed since the
// runtime last took its delta (internal::CrdtCodec reads and resets that).
#include "cloudstate/crdt_types.h"

#include "crdtentity/element_key.h"

namespace cloudstate {

uint64_t GCounter::Increment(uint64_t by) {
  value_ += by;
  delta_ += by;
  return value_;
}

int64_t PNCounter::Increment(int64_t by) {
  // Two's complement wrap-around, as the replicated counter does.
  value_ = static_cast<int64_t>(static_cast<uint64_t>(value_) + static_cast<uint64_t>(by));
  delta_ = static_cast<int64_t>(static_cast<uint64_t>(delta_) + static_cast<uint64_t>(by));
  return value_;
}

bool CrdtElements::Contains(const google::protobuf::Any& element) const {
  return elements_.count(crdtentity::ElementKey(element)) != 0;
}

std::vector<google::protobuf::Any> CrdtElements::Elements() const {
  std::vector<google::protobuf::Any> out;
  out.reserve(elements_.size());
  for (const auto& [key, element] : elements_) out.push_back(element);
  return out;
}

bool GSet::Add(const google::protobuf::Any& element) {
  std::string key = crdtentity::ElementKey(element);
  if (!elements_.emplace(key, element).second) return false;
  added_.emplace(std::move(key), element);
  return true;
}

bool ORSet::Add(const google::protobuf::Any& element) {
  std::string key = crdtentity::ElementKey(element);
  if (!elements_.emplace(key, element).second) return false;
  // Removed and re-added in one delta: the re-adding cancels the removal, so the delta says only
  // what changed (as the reference support's does; the kit's model cases check it).
  if (removed_.erase(key) == 0) added_.emplace(std::move(key), element);
  return true;
}

bool ORSet::Remove(const google::protobuf::Any& element) {
  std::string key = crdtentity::ElementKey(element);
  if (elements_.erase(key) == 0) return false;
  if (added_.erase(key) == 0 && !cleared_) removed_.emplace(std::move(key), element);
  return true;
}

void ORSet::Clear() {
  elements_.clear();
  added_.clear();
  removed_.clear();
  cleared_ = true;
}

void LwwRegister::Set(google::protobuf::Any value, LwwClock clock, int64_t custom_clock_value) {
  value_ = std::move(value);
  changed_ = true;
  clock_ = clock;
  custom_clock_value_ = custom_clock_value;
}

void Flag::Enable() {
  if (value_) return;
  value_ = true;
  changed_ = true;
}

void Vote::SetVote(bool vote) {
  if (vote == self_vote_) return;
  self_vote_ = vote;
  votes_for_ += vote ? 1 : -1;
  changed_ = true;
}

ORMap::ORMap() = default;
ORMap::~ORMap() = default;

bool ORMap::Contains(const google::protobuf::Any& key) const {
  return entries_.count(crdtentity::ElementKey(key)) != 0;
}

std::vector<google::protobuf::Any> ORMap::Keys() const {
  std::vector<google::protobuf::Any> keys;
  keys.reserve(entries_.size());
  for (const auto& [bytes, entry] : entries_) keys.push_back(entry.key);
  return keys;
}

CrdtValue* ORMap::Get(const google::protobuf::Any& key) {
  auto it = entries_.find(crdtentity::ElementKey(key));
  return it == entries_.end() ? nullptr : it->second.value.get();
}

CrdtValue& ORMap::GetOrCreate(const google::protobuf::Any& key, CrdtKind kind) {
  std::string bytes = crdtentity::ElementKey(key);
  auto it = entries_.find(bytes);
  if (it != entries_.end()) {
    if (it->second.value->kind() == kind) return *it->second.value;
    Remove(key);
  }
  Entry& entry = entries_[bytes];
  entry.key = key;
  entry.value = NewCrdt(kind);
  added_[bytes] = true;
  return *entry.value;
}

bool ORMap::Remove(const google::protobuf::Any& key) {
  std::string bytes = crdtentity::ElementKey(key);
  if (entries_.erase(bytes) == 0) return false;
  // A key created and removed within one delta never reached anyone: forget it.
  if (added_.erase(bytes) == 0 && !cleared_) removed_.emplace(std::move(bytes), key);
  return true;
}

void ORMap::Clear() {
  entries_.clear();
  added_.clear();
  removed_.clear();
  cleared_ = true;
}

std::unique_ptr<CrdtValue> NewCrdt(CrdtKind kind) {
  switch (kind) {
    case CrdtKind::kGCounter: return std::make_unique<GCounter>();
    case CrdtKind::kPNCounter: return std::make_unique<PNCounter>();
    case CrdtKind::kGSet: return std::make_unique<GSet>();
    case CrdtKind::kORSet: return std::make_unique<ORSet>();
    case CrdtKind::kLwwRegister: return std::make_unique<LwwRegister>();
    case CrdtKind::kFlag: return std::make_unique<Flag>();
    case CrdtKind::kORMap: return std::make_unique<ORMap>();
    case CrdtKind::kVote: return std::make_unique<Vote>();
  }
  return nullptr;
}

}  // namespace cloudstate
