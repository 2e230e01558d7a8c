#include "crdtentity/crdt_durable.h"

#include <utility>

#include "crdt/state_codec.h"

namespace cloudstate::crdtentity {

CrdtDurable::CrdtDurable(ValueStore& values, EntityKey key, Post post, Current current, Adopt adopt)
    : values_(values),
      key_(std::move(key)),
      post_(std::move(post)),
      current_(std::move(current)),
      adopt_(std::move(adopt)) {}

Result<std::optional<replicated::CrdtState>> CrdtDurable::Load() {
  Result<VersionedValue> stored = values_.Read(key_);
  if (!stored.ok()) return stored.status();
  version_ = stored->version;
  if (!stored->value) return std::optional<replicated::CrdtState>();
  if (stored->value->type_url() != kCrdtStateTypeUrl) {
    return Status::Corruption("the stored value of " + key_.persistence_id + "/" + key_.entity_id +
                              " is a " + stored->value->type_url() + ", not a CRDT state");
  }
  Result<replicated::CrdtState> state = replicated::DecodeCrdtState(stored->value->value());
  if (!state.ok()) return state.status();
  return std::optional<replicated::CrdtState>(std::move(*state));
}

void CrdtDurable::Save(std::function<void(Status)> done) {
  next_.push_back(std::move(done));
  if (!in_flight_) Start();
}

void CrdtDurable::Start() {
  in_flight_ = true;
  current_waiters_ = std::move(next_);
  next_.clear();
  ValueWrite write{key_, version_, std::nullopt};
  if (std::optional<replicated::CrdtState> state = current_()) {
    google::protobuf::Any any;
    any.set_type_url(kCrdtStateTypeUrl);
    any.set_value(replicated::EncodeCrdtState(*state));
    write.value = std::move(any);
  }
  values_.Write(std::move(write), [post = post_, this](Status status) {
    // Back on the entity's queue; the owner keeps this object alive until its writes are done.
    post([this, status = std::move(status)]() mutable { Written(std::move(status)); });
  });
}

void CrdtDurable::Written(Status status) {
  in_flight_ = false;
  if (status.code() == StatusCode::kConflict && conflicts_ < 3) {
    // Another writer stored a newer state: fold it into ours and write the union.
    ++conflicts_;
    Result<std::optional<replicated::CrdtState>> theirs = Load();
    if (theirs.ok()) {
      if (*theirs) adopt_(**theirs);
      for (auto& waiter : current_waiters_) next_.push_back(std::move(waiter));
      current_waiters_.clear();
      Start();
      return;
    }
    status = theirs.status();
  }
  conflicts_ = 0;
  if (status.ok()) ++version_;
  std::vector<std::function<void(Status)>> waiters = std::move(current_waiters_);
  current_waiters_.clear();
  if (!next_.empty()) Start();
  for (auto& waiter : waiters) waiter(status);
}

}  // namespace cloudstate::crdtentity
