#include "shared_store.h"

#include <cassert>

#include "cloudstate/store_registry.h"

namespace cloudstate::testing {

void StoreFaults::FailAppends(int count, Status status) {
  std::lock_guard lock(mu_);
  fail_appends_ = count;
  append_status_ = std::move(status);
}

void StoreFaults::FailValueWrites(int count, Status status) {
  std::lock_guard lock(mu_);
  fail_value_writes_ = count;
  value_status_ = std::move(status);
}

void StoreFaults::HoldWrites() {
  std::lock_guard lock(mu_);
  holding_ = true;
}

void StoreFaults::ReleaseWrites() {
  std::vector<Held> held;
  {
    std::lock_guard lock(mu_);
    holding_ = false;
    held.swap(held_);
  }
  for (auto& write : held) write.forward();
}

size_t StoreFaults::HeldWrites() {
  std::lock_guard lock(mu_);
  return held_.size();
}

SharedStore::SharedStore(std::shared_ptr<Store> inner, std::shared_ptr<StoreFaults> faults)
    : inner_(std::move(inner)), faults_(faults ? std::move(faults) : std::make_shared<StoreFaults>()) {}

void SharedStore::Append(JournalWrite write, WriteCallback done) {
  ++faults_->appends;
  auto shared_write = std::make_shared<JournalWrite>(std::move(write));
  auto shared_done = std::make_shared<WriteCallback>(std::move(done));
  auto forward = [inner = inner_, shared_write, shared_done] {
    inner->journal().Append(std::move(*shared_write), std::move(*shared_done));
  };
  Status failure;
  {
    std::unique_lock lock(faults_->mu_);
    if (faults_->fail_appends_ > 0) {
      --faults_->fail_appends_;
      failure = faults_->append_status_;
    } else if (faults_->holding_) {
      faults_->held_.push_back(StoreFaults::Held{std::move(forward)});
      return;
    }
  }
  if (!failure.ok()) {
    (*shared_done)(std::move(failure));
    return;
  }
  forward();
}

Result<int64_t> SharedStore::HighestSequence(const EntityKey& key) { return inner_->journal().HighestSequence(key); }

Status SharedStore::ReadEvents(const EntityKey& key, int64_t from_sequence, const EventVisitor& visit) {
  return inner_->journal().ReadEvents(key, from_sequence, visit);
}

Result<std::optional<Snapshot>> SharedStore::LoadSnapshot(const EntityKey& key) {
  return inner_->journal().LoadSnapshot(key);
}

Status SharedStore::ReadFeed(const std::string& persistence_id, int64_t after_offset, const FeedVisitor& visit) {
  return inner_->journal().ReadFeed(persistence_id, after_offset, visit);
}

void SharedStore::Write(ValueWrite write, WriteCallback done) {
  ++faults_->value_writes;
  auto shared_write = std::make_shared<ValueWrite>(std::move(write));
  auto shared_done = std::make_shared<WriteCallback>(std::move(done));
  auto forward = [inner = inner_, shared_write, shared_done] {
    inner->values().Write(std::move(*shared_write), std::move(*shared_done));
  };
  Status failure;
  {
    std::unique_lock lock(faults_->mu_);
    if (faults_->fail_value_writes_ > 0) {
      --faults_->fail_value_writes_;
      failure = faults_->value_status_;
    } else if (faults_->holding_) {
      faults_->held_.push_back(StoreFaults::Held{std::move(forward)});
      return;
    }
  }
  if (!failure.ok()) {
    (*shared_done)(std::move(failure));
    return;
  }
  forward();
}

Result<VersionedValue> SharedStore::Read(const EntityKey& key) { return inner_->values().Read(key); }

std::shared_ptr<Store> NewMemoryStore() {
  StoreRegistry registry;
  RegisterMemoryStore(registry);
  StoreOptions options;
  options.kind = "memory";
  auto store = registry.Open(options);
  assert(store.ok());
  return std::shared_ptr<Store>(std::move(store).value());
}

}  // namespace cloudstate::testing
