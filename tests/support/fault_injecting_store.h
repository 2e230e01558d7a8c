// A store wrapper for failure tests: fails chosen writes or reads, or holds write acknowledgements
// until the test releases them. Wraps any real store, so everything else behaves for real.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

#include "cloudstate/store.h"

namespace cloudstate::testing {

class FaultInjectingStore final : public Store, private Journal, private ValueStore {
 public:
  explicit FaultInjectingStore(std::unique_ptr<Store> inner) : inner_(std::move(inner)) {}

  // The next `count` writes (appends or value writes) fail with `status` without reaching the store.
  void FailNextWrites(int count, Status status) {
    std::lock_guard lock(mu_);
    failing_writes_ = count;
    write_failure_ = std::move(status);
  }
  // Reads fail with `status` until called again with OK.
  void FailReads(Status status) {
    std::lock_guard lock(mu_);
    read_failure_ = std::move(status);
  }
  // While held, acknowledgements of successful writes are queued instead of delivered.
  void HoldAcknowledgements(bool hold) {
    std::deque<std::function<void()>> release;
    {
      std::lock_guard lock(mu_);
      hold_ = hold;
      if (!hold) release.swap(held_);
    }
    for (auto& ack : release) ack();
  }
  size_t HeldAcknowledgements() {
    std::lock_guard lock(mu_);
    return held_.size();
  }
  int writes_seen() const { return writes_seen_.load(); }

  Journal& journal() override { return *this; }
  ValueStore& values() override { return *this; }
  std::string Describe() const override { return "fault-injecting " + inner_->Describe(); }

 private:
  void Append(JournalWrite write, WriteCallback done) override {
    if (InjectWriteFailure(done)) return;
    inner_->journal().Append(std::move(write), Hold(std::move(done)));
  }
  Result<int64_t> HighestSequence(const EntityKey& key) override {
    if (Status failure = ReadFailure(); !failure.ok()) return failure;
    return inner_->journal().HighestSequence(key);
  }
  Status ReadEvents(const EntityKey& key, int64_t from, const EventVisitor& visit) override {
    if (Status failure = ReadFailure(); !failure.ok()) return failure;
    return inner_->journal().ReadEvents(key, from, visit);
  }
  Result<std::optional<Snapshot>> LoadSnapshot(const EntityKey& key) override {
    if (Status failure = ReadFailure(); !failure.ok()) return failure;
    return inner_->journal().LoadSnapshot(key);
  }
  Status ReadFeed(const std::string& persistence_id, int64_t after_offset, const FeedVisitor& visit) override {
    if (Status failure = ReadFailure(); !failure.ok()) return failure;
    return inner_->journal().ReadFeed(persistence_id, after_offset, visit);
  }
  void Write(ValueWrite write, WriteCallback done) override {
    if (InjectWriteFailure(done)) return;
    inner_->values().Write(std::move(write), Hold(std::move(done)));
  }
  Result<VersionedValue> Read(const EntityKey& key) override {
    if (Status failure = ReadFailure(); !failure.ok()) return failure;
    return inner_->values().Read(key);
  }

  bool InjectWriteFailure(const WriteCallback& done) {
    writes_seen_++;
    Status failure;
    {
      std::lock_guard lock(mu_);
      if (failing_writes_ == 0) return false;
      --failing_writes_;
      failure = write_failure_;
    }
    done(failure);
    return true;
  }
  Status ReadFailure() {
    std::lock_guard lock(mu_);
    return read_failure_;
  }
  WriteCallback Hold(WriteCallback done) {
    return [this, done = std::move(done)](Status status) {
      {
        std::lock_guard lock(mu_);
        if (hold_) {
          held_.push_back([done, status] { done(status); });
          return;
        }
      }
      done(std::move(status));
    };
  }

  std::unique_ptr<Store> inner_;
  std::mutex mu_;
  int failing_writes_ = 0;
  Status write_failure_;
  Status read_failure_;
  bool hold_ = false;
  std::deque<std::function<void()>> held_;
  std::atomic<int> writes_seen_{0};
};

}  // namespace cloudstate::testing
