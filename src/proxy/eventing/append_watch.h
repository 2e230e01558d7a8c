// The sidecar's store, wrapped so that event-log consumers hear at once of the events this sidecar
// appends, instead of at their next poll. Appends by other processes sharing the store are still
// found by polling.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "cloudstate/store.h"

namespace cloudstate::proxy {

class AppendWatchingStore final : public Store, private Journal {
 public:
  explicit AppendWatchingStore(std::unique_ptr<Store> store) : store_(std::move(store)) {}
  ~AppendWatchingStore() override { store_.reset(); }  // its callbacks may still call appended_

  // `appended(persistence_id)` runs after each successful append, on the thread that completes it;
  // it must not block. Call once; appends may already be under way.
  void Watch(std::function<void(const std::string& persistence_id)> appended);

  Journal& journal() override { return *this; }
  ValueStore& values() override { return store_->values(); }
  std::string Describe() const override { return store_->Describe(); }

 private:
  void Append(JournalWrite write, WriteCallback done) override;
  Result<int64_t> HighestSequence(const EntityKey& key) override { return store_->journal().HighestSequence(key); }
  Status ReadEvents(const EntityKey& key, int64_t from_sequence, const EventVisitor& visit) override {
    return store_->journal().ReadEvents(key, from_sequence, visit);
  }
  Result<std::optional<Snapshot>> LoadSnapshot(const EntityKey& key) override {
    return store_->journal().LoadSnapshot(key);
  }
  Status ReadFeed(const std::string& persistence_id, int64_t after_offset, const FeedVisitor& visit) override {
    return store_->journal().ReadFeed(persistence_id, after_offset, visit);
  }

  // Before store_: the store's last callbacks, which run as it closes, still use them.
  std::function<void(const std::string&)> appended_;  // written once, before watching_ is set
  std::atomic<bool> watching_{false};
  std::unique_ptr<Store> store_;
};

}  // namespace cloudstate::proxy
