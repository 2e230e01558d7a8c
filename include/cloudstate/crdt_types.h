// The eight CRDTs as a CRDT entity's handler sees them: plain values it reads and changes. The
// engine (or the proxy behind a function server) owns the replicated state; these objects hold the
// entity's current value and record what a handler changed, which the runtime then replicates.
// Set elements and map keys are protobuf Any messages compared byte-wise (type URL and bytes).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/any.pb.h>
#include <google/protobuf/message.h>

namespace cloudstate {

namespace internal {
struct CrdtCodec;  // the runtime's converter to and from the replicated form
}

enum class CrdtKind { kGCounter, kPNCounter, kGSet, kORSet, kLwwRegister, kFlag, kORMap, kVote };

// Packs a message into an Any, for elements, keys and register values.
inline google::protobuf::Any PackAny(const google::protobuf::Message& message) {
  google::protobuf::Any any;
  any.PackFrom(message);
  return any;
}

// Base of the eight kinds. Not thread-safe: used by one handler call at a time.
class CrdtValue {
 public:
  virtual ~CrdtValue() = default;
  virtual CrdtKind kind() const = 0;
};

// A counter that only grows.
class GCounter final : public CrdtValue {
 public:
  static constexpr CrdtKind kKind = CrdtKind::kGCounter;
  CrdtKind kind() const override { return kKind; }
  uint64_t Value() const { return value_; }
  // Returns the new value.
  uint64_t Increment(uint64_t by);

 private:
  friend struct internal::CrdtCodec;
  uint64_t value_ = 0;
  uint64_t delta_ = 0;
};

// A counter that goes up and down.
class PNCounter final : public CrdtValue {
 public:
  static constexpr CrdtKind kKind = CrdtKind::kPNCounter;
  CrdtKind kind() const override { return kKind; }
  int64_t Value() const { return value_; }
  int64_t Increment(int64_t by);
  int64_t Decrement(int64_t by) { return Increment(-by); }

 private:
  friend struct internal::CrdtCodec;
  int64_t value_ = 0;
  int64_t delta_ = 0;
};

// The elements of GSet and ORSet, kept in a stable (byte-wise) order.
class CrdtElements {
 public:
  bool Contains(const google::protobuf::Any& element) const;
  size_t Size() const { return elements_.size(); }
  std::vector<google::protobuf::Any> Elements() const;

 protected:
  std::map<std::string, google::protobuf::Any> elements_;  // by byte-wise key
};

// A set that only grows.
class GSet final : public CrdtValue, public CrdtElements {
 public:
  static constexpr CrdtKind kKind = CrdtKind::kGSet;
  CrdtKind kind() const override { return kKind; }
  // False when the element was already there.
  bool Add(const google::protobuf::Any& element);

 private:
  friend struct internal::CrdtCodec;
  std::map<std::string, google::protobuf::Any> added_;
};

// An observed-remove set: a remove drops the adds it has seen, a concurrent add wins.
class ORSet final : public CrdtValue, public CrdtElements {
 public:
  static constexpr CrdtKind kKind = CrdtKind::kORSet;
  CrdtKind kind() const override { return kKind; }
  bool Add(const google::protobuf::Any& element);
  bool Remove(const google::protobuf::Any& element);
  void Clear();

 private:
  friend struct internal::CrdtCodec;
  bool cleared_ = false;
  std::map<std::string, google::protobuf::Any> added_;
  std::map<std::string, google::protobuf::Any> removed_;
};

// How an LWWRegister write is ordered against others (the protocol's CrdtClock).
enum class LwwClock {
  kDefault,              // wall clock: the last write wins
  kReverse,              // reversed wall clock: the first write wins
  kCustom,               // the given value orders writes; a lower one than the current loses
  kCustomAutoIncrement,  // the given value, or one past the current if that is higher
};

// A last-write-wins register. A register never written holds an empty Any.
class LwwRegister final : public CrdtValue {
 public:
  static constexpr CrdtKind kKind = CrdtKind::kLwwRegister;
  CrdtKind kind() const override { return kKind; }
  const google::protobuf::Any& Value() const { return value_; }
  void Set(google::protobuf::Any value, LwwClock clock = LwwClock::kDefault, int64_t custom_clock_value = 0);

 private:
  friend struct internal::CrdtCodec;
  google::protobuf::Any value_;
  bool changed_ = false;
  LwwClock clock_ = LwwClock::kDefault;
  int64_t custom_clock_value_ = 0;
};

// A boolean that can only be switched on.
class Flag final : public CrdtValue {
 public:
  static constexpr CrdtKind kKind = CrdtKind::kFlag;
  CrdtKind kind() const override { return kKind; }
  bool Value() const { return value_; }
  void Enable();

 private:
  friend struct internal::CrdtCodec;
  bool value_ = false;
  bool changed_ = false;
};

// One vote per node: this node's own vote, and the tally over the nodes that are up.
class Vote final : public CrdtValue {
 public:
  static constexpr CrdtKind kKind = CrdtKind::kVote;
  CrdtKind kind() const override { return kKind; }
  bool SelfVote() const { return self_vote_; }
  int32_t VotesFor() const { return votes_for_; }
  int32_t TotalVoters() const { return total_voters_; }
  bool AtLeastOne() const { return votes_for_ > 0; }
  bool Majority() const { return votes_for_ > total_voters_ / 2; }
  bool All() const { return votes_for_ == total_voters_; }
  void SetVote(bool vote);

 private:
  friend struct internal::CrdtCodec;
  bool self_vote_ = false;
  int32_t votes_for_ = 0;
  int32_t total_voters_ = 1;
  bool changed_ = false;
};

// An observed-remove map from Any keys to CRDTs of any kind (maps included).
class ORMap final : public CrdtValue {
 public:
  static constexpr CrdtKind kKind = CrdtKind::kORMap;
  ORMap();
  ~ORMap() override;
  CrdtKind kind() const override { return kKind; }

  bool Contains(const google::protobuf::Any& key) const;
  size_t Size() const { return entries_.size(); }
  std::vector<google::protobuf::Any> Keys() const;
  // The value under `key`, or nullptr.
  CrdtValue* Get(const google::protobuf::Any& key);
  template <typename T>
  T* Get(const google::protobuf::Any& key) {
    CrdtValue* value = Get(key);
    return value != nullptr && value->kind() == T::kKind ? static_cast<T*>(value) : nullptr;
  }
  // The value under `key`, created (empty) when absent; a value of another kind is replaced.
  template <typename T>
  T& GetOrCreate(const google::protobuf::Any& key) {
    return static_cast<T&>(GetOrCreate(key, T::kKind));
  }
  CrdtValue& GetOrCreate(const google::protobuf::Any& key, CrdtKind kind);
  bool Remove(const google::protobuf::Any& key);
  void Clear();

 private:
  friend struct internal::CrdtCodec;
  struct Entry {
    google::protobuf::Any key;
    std::unique_ptr<CrdtValue> value;
  };
  std::map<std::string, Entry> entries_;  // by byte-wise key
  bool cleared_ = false;
  std::map<std::string, google::protobuf::Any> removed_;
  std::map<std::string, bool> added_;  // keys (re)created since the last delta
};

// An empty CRDT of `kind`.
std::unique_ptr<CrdtValue> NewCrdt(CrdtKind kind);

}  // namespace cloudstate
