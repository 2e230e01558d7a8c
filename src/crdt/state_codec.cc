#include "crdt/state_codec.h"

#include <map>
#include <vector>

#include "crdt/crdt_state.pb.h"

namespace cloudstate::replicated {
namespace {

namespace wire = ::cloudstate::crdtstate;

class Encoder {
 public:
  explicit Encoder(wire::CrdtStateRecord& record) : record_(record) {}

  uint32_t Index(const ReplicaId& replica) {
    auto [it, fresh] = indexes_.try_emplace(replica, static_cast<uint32_t>(indexes_.size()));
    if (fresh) record_.add_replicas(replica.name());
    return it->second;
  }
  void Put(const Dot& dot, wire::Dot* out) {
    out->set_replica(Index(dot.replica));
    out->set_counter(dot.counter);
  }
  template <typename Field>
  void PutDots(const DotSet& dots, Field* out) {
    for (const Dot& dot : dots) Put(dot, out->Add());
  }

  void Put(const AnyStore& any, wire::Store* out) {
    switch (any.type()) {
      case CrdtType::kGCounter: PutCounters(any.As<GCounterStore>().totals, out->mutable_gcounter()); break;
      case CrdtType::kVote: PutCounters(any.As<VoteStore>().counters, out->mutable_vote()); break;
      case CrdtType::kPNCounter:
        out->mutable_pncounter();
        for (const auto& [dot, totals] : any.As<PNCounterStore>().totals) {
          wire::PNCounterEntry* entry = out->mutable_pncounter()->add_entries();
          Put(dot, entry->mutable_dot());
          entry->set_increments(totals.increments);
          entry->set_decrements(totals.decrements);
        }
        break;
      case CrdtType::kGSet: PutElements(any.As<GSetStore>(), out->mutable_gset()); break;
      case CrdtType::kORSet: PutElements(any.As<ORSetStore>(), out->mutable_orset()); break;
      case CrdtType::kLwwRegister:
        out->mutable_lwwregister();
        for (const auto& [dot, write] : any.As<LwwRegisterStore>().writes) {
          wire::RegisterEntry* entry = out->mutable_lwwregister()->add_entries();
          Put(dot, entry->mutable_dot());
          entry->set_value(write.value);
          entry->set_timestamp(write.timestamp);
          entry->set_writer(Index(write.writer));
        }
        break;
      case CrdtType::kFlag: PutDots(any.As<FlagStore>().enablers, out->mutable_flag()->mutable_dots()); break;
      case CrdtType::kORMap:
        out->mutable_ormap();
        for (const auto& [key, entry] : any.As<ORMapStore>().entries) {
          wire::MapEntry* written = out->mutable_ormap()->add_entries();
          written->set_key(key);
          PutDots(entry.presence, written->mutable_presence());
          if (entry.value) Put(*entry.value, written->mutable_value());
        }
        break;
    }
  }

 private:
  void PutCounters(const DotFun<uint64_t>& counters, wire::CounterStore* out) {
    for (const auto& [dot, value] : counters) {
      wire::CounterEntry* entry = out->add_entries();
      Put(dot, entry->mutable_dot());
      entry->set_value(value);
    }
  }
  void PutElements(const ElementDots& set, wire::ElementStore* out) {
    for (const auto& [element, dots] : set.elements) {
      wire::ElementEntry* entry = out->add_entries();
      entry->set_element(element);
      PutDots(dots, entry->mutable_dots());
    }
  }

  wire::CrdtStateRecord& record_;
  std::map<ReplicaId, uint32_t> indexes_;
};

class Decoder {
 public:
  explicit Decoder(const wire::CrdtStateRecord& record) {
    for (const std::string& name : record.replicas()) replicas_.emplace_back(name);
  }
  bool ok() const { return ok_; }

  ReplicaId Replica(uint32_t index) {
    if (index < replicas_.size()) return replicas_[index];
    ok_ = false;
    return {};
  }
  Dot Get(const wire::Dot& dot) { return Dot{Replica(dot.replica()), dot.counter()}; }
  template <typename Field>
  DotSet GetDots(const Field& dots) {
    DotSet result;
    for (const auto& dot : dots) result.push_back(Get(dot));
    std::sort(result.begin(), result.end());
    return result;
  }

  AnyStore Get(const wire::Store& in) {
    switch (in.kind_case()) {
      case wire::Store::kGcounter: return {GCounterStore{GetCounters(in.gcounter())}};
      case wire::Store::kVote: return {VoteStore{GetCounters(in.vote())}};
      case wire::Store::kPncounter: {
        PNCounterStore store;
        for (const auto& entry : in.pncounter().entries()) {
          store.totals[Get(entry.dot())] = PNTotals{entry.increments(), entry.decrements()};
        }
        return {std::move(store)};
      }
      case wire::Store::kGset: return {GSetStore{GetElements(in.gset())}};
      case wire::Store::kOrset: return {ORSetStore{GetElements(in.orset())}};
      case wire::Store::kLwwregister: {
        LwwRegisterStore store;
        for (const auto& entry : in.lwwregister().entries()) {
          store.writes[Get(entry.dot())] = StampedValue{entry.value(), entry.timestamp(), Replica(entry.writer())};
        }
        return {std::move(store)};
      }
      case wire::Store::kFlag: return {FlagStore{GetDots(in.flag().dots())}};
      case wire::Store::kOrmap: {
        ORMapStore store;
        for (const auto& entry : in.ormap().entries()) {
          MapEntry& out = store.entries[entry.key()];
          out.presence = GetDots(entry.presence());
          if (entry.has_value()) out.value = std::make_unique<AnyStore>(Get(entry.value()));
        }
        return {std::move(store)};
      }
      case wire::Store::KIND_NOT_SET:
        break;
    }
    ok_ = false;
    return {};
  }

 private:
  DotFun<uint64_t> GetCounters(const wire::CounterStore& in) {
    DotFun<uint64_t> result;
    for (const auto& entry : in.entries()) result[Get(entry.dot())] = entry.value();
    return result;
  }
  ElementDots GetElements(const wire::ElementStore& in) {
    ElementDots result;
    for (const auto& entry : in.entries()) result.elements[entry.element()] = GetDots(entry.dots());
    return result;
  }

  std::vector<ReplicaId> replicas_;
  bool ok_ = true;
};

}  // namespace

std::string EncodeCrdtState(const CrdtState& state) {
  wire::CrdtStateRecord record;
  record.set_format_version(kCrdtStateFormatVersion);
  record.set_touched_only(state.touched_only);
  Encoder encoder(record);
  for (const auto& [replica, counter] : state.context.version_vector()) {
    encoder.Put(Dot{replica, counter}, record.mutable_context()->add_version_vector());
  }
  for (const Dot& dot : state.context.cloud()) encoder.Put(dot, record.mutable_context()->add_cloud());
  encoder.Put(state.store, record.mutable_store());
  return record.SerializeAsString();
}

Result<CrdtState> DecodeCrdtState(std::string_view bytes) {
  wire::CrdtStateRecord record;
  if (!record.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Status::Corruption("CRDT state does not parse");
  }
  if (record.format_version() != kCrdtStateFormatVersion) {
    return Status::Corruption("CRDT state has format version " + std::to_string(record.format_version()) +
                              ", this build reads version " + std::to_string(kCrdtStateFormatVersion));
  }
  Decoder decoder(record);
  CrdtState state;
  state.touched_only = record.touched_only();
  for (const auto& entry : record.context().version_vector()) {
    state.context.SetVersion(decoder.Replica(entry.replica()), entry.counter());
  }
  for (const auto& dot : record.context().cloud()) state.context.Insert(decoder.Get(dot));
  state.store = decoder.Get(record.store());
  if (!decoder.ok()) return Status::Corruption("CRDT state refers to a replica it does not list, or has no store");
  return state;
}

}  // namespace cloudstate::replicated
