// A Store that forwards to a store the test keeps. Several engines can then run one after another
// on the same in-memory data (a "reopen" without files), and the test can fail or hold writes
// through StoreFaults, which it keeps while the engine owns the wrapper.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "cloudstate/store.h"

namespace cloudstate::testing {

// Faults to inject; safe to use from any thread.
class StoreFaults {
 public:
  // The next `count` journal appends fail with `status` without reaching the store.
  void FailAppends(int count, Status status);
  // The next `count` value writes fail with `status` without reaching the store.
  void FailValueWrites(int count, Status status);
  // From now on, writes wait (unacknowledged) until ReleaseWrites().
  void HoldWrites();
  // Stops holding and passes the held writes on to the store, in the order they came.
  void ReleaseWrites();
  size_t HeldWrites();

  std::atomic<int> appends{0};       // appends the engine attempted
  std::atomic<int> value_writes{0};  // value writes the engine attempted

 private:
  friend class SharedStore;
  struct Held {
    std::function<void()> forward;
  };
  std::mutex mu_;
  int fail_appends_ = 0;
  Status append_status_;
  int fail_value_writes_ = 0;
  Status value_status_;
  bool holding_ = false;
  std::vector<Held> held_;
};

class SharedStore final : public Store, private Journal, private ValueStore {
 public:
  explicit SharedStore(std::shared_ptr<Store> inner, std::shared_ptr<StoreFaults> faults = nullptr);

  Journal& journal() override { return *this; }
  ValueStore& values() override { return *this; }
  std::string Describe() const override { return "shared(" + inner_->Describe() + ")"; }

 private:
  void Append(JournalWrite write, WriteCallback done) override;
  Result<int64_t> HighestSequence(const EntityKey& key) override;
  Status ReadEvents(const EntityKey& key, int64_t from_sequence, const EventVisitor& visit) override;
  Result<std::optional<Snapshot>> LoadSnapshot(const EntityKey& key) override;
  Status ReadFeed(const std::string& persistence_id, int64_t after_offset, const FeedVisitor& visit) override;
  void Write(ValueWrite write, WriteCallback done) override;
  Result<VersionedValue> Read(const EntityKey& key) override;

  std::shared_ptr<Store> inner_;
  std::shared_ptr<StoreFaults> faults_;
};

// A fresh in-memory store from the built-in factory.
std::shared_ptr<Store> NewMemoryStore();

}  // namespace cloudstate::testing
