#include "proxy/eventing/append_watch.h"

namespace cloudstate::proxy {

void AppendWatchingStore::Watch(std::function<void(const std::string& persistence_id)> appended) {
  if (watching_.load(std::memory_order_acquire)) return;
  appended_ = std::move(appended);
  watching_.store(true, std::memory_order_release);
}

void AppendWatchingStore::Append(JournalWrite write, WriteCallback done) {
  // Nobody listens (no consumers, or not yet): the append goes through untouched.
  if (!watching_.load(std::memory_order_acquire) || write.events.empty()) {
    store_->journal().Append(std::move(write), std::move(done));
    return;
  }
  std::string persistence_id = write.key.persistence_id;
  store_->journal().Append(std::move(write), [this, persistence_id = std::move(persistence_id),
                                              done = std::move(done)](Status status) {
    bool appended = status.ok();
    done(std::move(status));
    if (appended) appended_(persistence_id);
  });
}

}  // namespace cloudstate::proxy
