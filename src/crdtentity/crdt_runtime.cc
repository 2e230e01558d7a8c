#include "crdtentity/crdt_runtime.h"

#include <chrono>
#include <map>
#include <mutex>
#include <utility>

#include "crdt/state_codec.h"

namespace cloudstate::crdtentity {
namespace {

// The live entities of one CRDT type, as the replicator's listener.
class LiveEntities final : public ReplicaListener, public std::enable_shared_from_this<LiveEntities> {
 public:
  explicit LiveEntities(std::shared_ptr<const CrdtTypeContext> type) : type_(std::move(type)) {}

  void Add(const std::string& entity_id, const std::shared_ptr<CrdtCore>& core) {
    std::lock_guard lock(mu_);
    live_[entity_id] = core;
  }
  void Remove(const std::string& entity_id, const CrdtCore* core) {
    std::lock_guard lock(mu_);
    auto it = live_.find(entity_id);
    if (it != live_.end() && it->second.lock().get() == core) live_.erase(it);
  }

  void OnDelta(const std::string& entity_id, const std::string& state) override {
    if (auto core = Find(entity_id)) return core->RemoteDelta(state);
    Fold(entity_id, state, 0);
  }
  void OnDelete(const std::string& entity_id) override {
    if (auto core = Find(entity_id)) return core->RemoteDelete();
    EntityKey key{type_->persistence_id, entity_id};
    Result<VersionedValue> stored = type_->values->Read(key);
    if (!stored.ok() || !stored->value) return;
    type_->values->Write(ValueWrite{key, stored->version, std::nullopt}, [](Status) {});
  }
  void OnMembersChanged() override {
    std::vector<std::shared_ptr<CrdtCore>> cores;
    {
      std::lock_guard lock(mu_);
      for (auto& [id, weak] : live_) {
        if (auto core = weak.lock()) cores.push_back(std::move(core));
      }
    }
    for (auto& core : cores) core->MembersChanged();
  }

 private:
  std::shared_ptr<CrdtCore> Find(const std::string& entity_id) {
    std::lock_guard lock(mu_);
    auto it = live_.find(entity_id);
    return it == live_.end() ? nullptr : it->second.lock();
  }

  // A change for an entity that is not live here: merge it into the stored state, so the entity
  // has it when it next starts. A concurrent writer makes the write conflict: read again and retry.
  void Fold(const std::string& entity_id, const std::string& delta, int attempt) {
    EntityKey key{type_->persistence_id, entity_id};
    Result<replicated::CrdtState> incoming = replicated::DecodeCrdtState(delta);
    Result<VersionedValue> stored = type_->values->Read(key);
    if (!incoming.ok() || !stored.ok()) return;
    std::optional<replicated::Crdt> crdt;
    replicated::ReplicaId self(type_->replicator->SelfId());
    if (stored->value) {
      Result<replicated::CrdtState> current = replicated::DecodeCrdtState(stored->value->value());
      if (!current.ok()) return;
      crdt.emplace(self, *current);
      if (!crdt->Merge(*incoming).ok()) return;
    } else {
      crdt.emplace(self, *incoming);
    }
    google::protobuf::Any any;
    any.set_type_url(kCrdtStateTypeUrl);
    any.set_value(replicated::EncodeCrdtState(crdt->FullState()));
    auto self_ptr = weak_from_this();
    type_->values->Write(ValueWrite{key, stored->version, std::move(any)},
                         [self_ptr, entity_id, delta, attempt](Status status) {
                           auto live = self_ptr.lock();
                           if (!live || status.code() != StatusCode::kConflict || attempt >= 3) return;
                           live->Fold(entity_id, delta, attempt + 1);
                         });
  }

  const std::shared_ptr<const CrdtTypeContext> type_;
  std::mutex mu_;
  std::map<std::string, std::weak_ptr<CrdtCore>> live_;
};

class CrdtRuntime final : public EntityRuntime {
 public:
  CrdtRuntime(std::shared_ptr<const CrdtTypeContext> type, std::shared_ptr<LiveEntities> live, std::string entity_id)
      : type_(std::move(type)), live_(std::move(live)), entity_id_(std::move(entity_id)) {}

  ~CrdtRuntime() override {
    if (!core_) return;
    live_->Remove(entity_id_, core_.get());
    core_->Stop();
  }

  Status Activate() override {
    core_ = std::make_shared<CrdtCore>(type_, entity_id_);
    Status activated = core_->Activate();
    if (!activated.ok()) {
      core_->Stop();
      core_.reset();
      return activated;
    }
    live_->Add(entity_id_, core_);
    return Status::Ok();
  }

  void Handle(const EntityCommand& command, int64_t command_id, OutcomeCallback done) override {
    core_->Handle(command, command_id, nullptr, std::move(done));
  }
  void HandleStreamed(const EntityCommand& command, int64_t command_id, std::shared_ptr<StreamSink> stream,
                      OutcomeCallback done) override {
    core_->Handle(command, command_id, std::move(stream), std::move(done));
  }
  bool Alive() const override { return !core_ || core_->alive(); }
  bool HoldsStreams() const override { return core_ && core_->holds_streams(); }

 private:
  const std::shared_ptr<const CrdtTypeContext> type_;
  const std::shared_ptr<LiveEntities> live_;
  const std::string entity_id_;
  std::shared_ptr<CrdtCore> core_;
};

}  // namespace

int64_t WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

EntityRuntimeFactory MakeCrdtRuntimeFactory(std::shared_ptr<CrdtTypeContext> type) {
  if (!type->now_ms) type->now_ms = WallClockMs;
  std::shared_ptr<const CrdtTypeContext> shared = std::move(type);
  auto live = std::make_shared<LiveEntities>(shared);
  std::shared_ptr<Replicator::Subscription> subscription = shared->replicator->Subscribe(shared->persistence_id, live);
  return [shared, live, subscription](const std::string& entity_id) -> std::unique_ptr<EntityRuntime> {
    return std::make_unique<CrdtRuntime>(shared, live, entity_id);
  };
}

}  // namespace cloudstate::crdtentity
