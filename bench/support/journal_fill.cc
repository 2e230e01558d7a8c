#include "support/journal_fill.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "support/bench_counter.h"
#include "support/stores.h"

namespace cloudstate::bench {
namespace {

// Bounds the appends in flight and keeps the first failure.
class Outstanding {
 public:
  explicit Outstanding(size_t limit) : limit_(limit) {}

  void Acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return in_flight_ < limit_; });
    ++in_flight_;
  }
  void Release(const Status& status) {
    std::lock_guard lock(mu_);
    if (!status.ok() && first_error_.ok()) first_error_ = status;
    --in_flight_;
    cv_.notify_all();
  }
  Status Drain() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return in_flight_ == 0; });
    return first_error_;
  }

 private:
  const size_t limit_;
  std::mutex mu_;
  std::condition_variable cv_;
  size_t in_flight_ = 0;
  Status first_error_;
};

}  // namespace

std::string FilledEntityId(size_t index) {
  std::string id = "r";  // appended, not "r" + ...: GCC 12 warns falsely (-Wrestrict) on the latter
  id += std::to_string(index);
  return id;
}

void FillJournal(Journal& journal, const std::string& persistence_id, size_t entities, int64_t events_per_entity,
                 size_t batch) {
  // Appends to one key may be in flight together: the store checks each against the ones queued
  // before it, so issuing them in order is enough.
  Outstanding outstanding(64);
  for (size_t entity = 0; entity < entities; ++entity) {
    EntityKey key{persistence_id, FilledEntityId(entity)};
    for (int64_t written = 0; written < events_per_entity;) {
      JournalWrite write;
      write.key = key;
      write.expected_sequence = written;
      int64_t n = std::min<int64_t>(static_cast<int64_t>(batch), events_per_entity - written);
      for (int64_t i = 1; i <= n; ++i) write.events.push_back(CounterEvent(written + i));
      written += n;
      outstanding.Acquire();
      journal.Append(std::move(write), [&outstanding](Status status) { outstanding.Release(status); });
    }
  }
  CheckOk(outstanding.Drain(), "filling the journal");
}

}  // namespace cloudstate::bench
