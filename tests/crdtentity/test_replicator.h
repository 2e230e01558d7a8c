// A replicator for tests: records every publish, acknowledges LOCAL writes at once and holds
// MAJORITY/ALL acknowledgements until the test releases them, and delivers deltas "from another
// node" to the engine's listener.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "crdtentity/replicator.h"

namespace cloudstate::testing {

class TestReplicator final : public Replicator {
 public:
  struct Published {
    std::string persistence_id;
    std::string entity_id;
    std::string delta;  // empty for a delete
    bool deleted = false;
    ReplicaConsistency consistency = ReplicaConsistency::kLocal;
  };

  std::string SelfId() const override { return "node-a"; }
  std::vector<std::string> UpMembers() const override {
    std::lock_guard lock(mu_);
    return members_;
  }

  void Publish(const std::string& persistence_id, const std::string& entity_id, std::string delta,
               ReplicaConsistency consistency, std::function<void(Status)> done) override {
    Record(Published{persistence_id, entity_id, std::move(delta), false, consistency}, std::move(done));
  }
  void PublishDelete(const std::string& persistence_id, const std::string& entity_id, ReplicaConsistency consistency,
                     std::function<void(Status)> done) override {
    Record(Published{persistence_id, entity_id, "", true, consistency}, std::move(done));
  }

  std::unique_ptr<Subscription> Subscribe(const std::string& persistence_id,
                                          std::shared_ptr<ReplicaListener> listener) override {
    std::lock_guard lock(mu_);
    listeners_[persistence_id] = std::move(listener);
    return std::make_unique<Unsubscribe>(this, persistence_id);
  }

  // Blocks until `count` publishes were recorded (or the deadline); returns them.
  std::vector<Published> WaitForPublished(size_t count) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return published_.size() >= count; });
    return published_;
  }
  // Blocks until `count` acknowledgements are held.
  size_t WaitForHeld(size_t count) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return held_.size() >= count; });
    return held_.size();
  }
  // Acknowledges (or fails) every held write.
  void Release(Status status = Status::Ok()) {
    std::vector<std::function<void(Status)>> held;
    {
      std::lock_guard lock(mu_);
      held.swap(held_);
    }
    for (auto& done : held) done(status);
  }

  void Deliver(const std::string& persistence_id, const std::string& entity_id, const std::string& state) {
    Listener(persistence_id)->OnDelta(entity_id, state);
  }
  void DeliverDelete(const std::string& persistence_id, const std::string& entity_id) {
    Listener(persistence_id)->OnDelete(entity_id);
  }
  void SetMembers(std::vector<std::string> members) {
    std::vector<std::shared_ptr<ReplicaListener>> listeners;
    {
      std::lock_guard lock(mu_);
      members_ = std::move(members);
      for (auto& [id, listener] : listeners_) listeners.push_back(listener);
    }
    for (auto& listener : listeners) listener->OnMembersChanged();
  }

 private:
  // Drops the listener with the subscription, as a real replicator must: the listener holds the
  // entity type, which holds the replicator.
  struct Unsubscribe final : Subscription {
    Unsubscribe(TestReplicator* replicator, std::string persistence_id)
        : replicator(replicator), persistence_id(std::move(persistence_id)) {}
    ~Unsubscribe() override {
      std::lock_guard lock(replicator->mu_);
      replicator->listeners_.erase(persistence_id);
    }
    TestReplicator* replicator;
    std::string persistence_id;
  };

  void Record(Published published, std::function<void(Status)> done) {
    bool hold = published.consistency != ReplicaConsistency::kLocal;
    {
      std::lock_guard lock(mu_);
      published_.push_back(std::move(published));
      if (hold) held_.push_back(std::move(done));
      cv_.notify_all();
    }
    if (!hold) done(Status::Ok());
  }
  std::shared_ptr<ReplicaListener> Listener(const std::string& persistence_id) {
    std::lock_guard lock(mu_);
    return listeners_.at(persistence_id);
  }

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> members_{"node-a"};
  std::vector<Published> published_;
  std::vector<std::function<void(Status)>> held_;
  std::map<std::string, std::shared_ptr<ReplicaListener>> listeners_;
};

}  // namespace cloudstate::testing
