// crdt_merge: what merging and encoding CRDT state costs, per kind, at 10k elements (sets, maps)
// or 1000 writers (counters, votes).
//
// For each kind: (i) merging one-change deltas from another replica into a filled replica,
// (ii) merging a whole filled state into another, (iii) encoding a one-change delta, (iv) encoding
// a whole filled state. Baselines, same elements, same run: inserting the changed element into a
// std::set / std::map of the same size, copying the plain container and inserting every element of
// another (a union), serializing the changed element as a bare Any, and serializing all elements
// as a plain protobuf list. The ratio shows what the causal metadata (dots, contexts) costs.
#include <cxxopts.hpp>
#include <google/protobuf/any.pb.h>

#include <chrono>
#include <functional>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "cloudstate/crdt.pb.h"
#include "crdt/any_key.h"
#include "crdt/crdt.h"
#include "crdt/state_codec.h"
#include "support/figures.h"
#include "support/stores.h"

namespace cloudstate::bench {
namespace {

namespace pb = ::cloudstate::crdt;
using replicated::Crdt;
using replicated::CrdtState;
using replicated::CrdtType;
using replicated::ReplicaId;

struct Config {
  int elements = 10000;
  int writers = 1000;
  int deltas = 2000;
  int reps = 5;
};

template <typename Fn>
double Seconds(Fn&& fn) {
  auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Median rate over reps of `count` operations timed by `run` (which gets a fresh setup each rep).
double MedianRate(int reps, double count, const std::function<double()>& run) {
  std::vector<double> rates;
  for (int r = 0; r < reps; ++r) rates.push_back(count / run());
  return Median(rates);
}

google::protobuf::Any Element(int n) {
  google::protobuf::Any any;
  any.set_type_url("type.googleapis.com/bench.Element");
  any.set_value("element-" + std::to_string(n));
  return any;
}

// One kind under test: how to fill it to its size, and how to make the n-th single change.
struct Kind {
  std::string name;
  CrdtType type;
  int size;  // elements, keys or writers
  std::function<void(Crdt& replica, int size)> fill;
  std::function<pb::CrdtDelta(int n)> change;
};

void Check(const Status& status) { CheckOk(status, "applying a CRDT update"); }

void FillByWriters(Crdt& replica, int writers, const pb::CrdtDelta& update) {
  for (int w = 0; w < writers; ++w) {
    Crdt writer(ReplicaId("writer-" + std::to_string(w)), replica.type());
    Check(writer.ApplyUpdate(update, 1));
    Check(replica.Merge(writer.TakeDelta()));
  }
}

std::vector<Kind> Kinds(const Config& config) {
  auto gcounter = [](int n) {
    pb::CrdtDelta d;
    d.mutable_gcounter()->set_increment(1 + n % 7);
    return d;
  };
  auto orset_add = [](int n) {
    pb::CrdtDelta d;
    *d.mutable_orset()->add_added() = Element(1000000 + n);
    return d;
  };
  auto gset_add = [](int n) {
    pb::CrdtDelta d;
    *d.mutable_gset()->add_added() = Element(1000000 + n);
    return d;
  };
  auto map_update = [](int n) {
    pb::CrdtDelta d;
    pb::ORMapEntryDelta* entry = d.mutable_ormap()->add_added();
    *entry->mutable_key() = Element(n % 10000);
    entry->mutable_delta()->mutable_gcounter()->set_increment(1);
    return d;
  };
  return {
      {"GCounter", CrdtType::kGCounter, config.writers,
       [gcounter](Crdt& r, int size) { FillByWriters(r, size, gcounter(1)); }, gcounter},
      {"PNCounter", CrdtType::kPNCounter, config.writers,
       [](Crdt& r, int size) {
         pb::CrdtDelta d;
         d.mutable_pncounter()->set_change(-3);
         FillByWriters(r, size, d);
       },
       [](int n) {
         pb::CrdtDelta d;
         d.mutable_pncounter()->set_change(n % 2 ? 5 : -4);
         return d;
       }},
      {"Vote", CrdtType::kVote, config.writers,
       [](Crdt& r, int size) {
         pb::CrdtDelta d;
         d.mutable_vote()->set_self_vote(true);
         FillByWriters(r, size, d);
       },
       [](int n) {
         pb::CrdtDelta d;
         d.mutable_vote()->set_self_vote(n % 2 == 0);
         return d;
       }},
      {"GSet", CrdtType::kGSet, config.elements,
       [](Crdt& r, int size) {
         pb::CrdtDelta d;
         for (int i = 0; i < size; ++i) *d.mutable_gset()->add_added() = Element(i);
         Check(r.ApplyUpdate(d, 1));
       },
       gset_add},
      {"ORSet", CrdtType::kORSet, config.elements,
       [](Crdt& r, int size) {
         pb::CrdtDelta d;
         for (int i = 0; i < size; ++i) *d.mutable_orset()->add_added() = Element(i);
         Check(r.ApplyUpdate(d, 1));
       },
       orset_add},
      {"ORMap", CrdtType::kORMap, config.elements,
       [](Crdt& r, int size) {
         pb::CrdtDelta d;
         for (int i = 0; i < size; ++i) {
           pb::ORMapEntryDelta* entry = d.mutable_ormap()->add_added();
           *entry->mutable_key() = Element(i);
           entry->mutable_delta()->mutable_gcounter()->set_increment(1);
         }
         Check(r.ApplyUpdate(d, 1));
       },
       map_update},
      {"LWWRegister", CrdtType::kLwwRegister, 1,
       [](Crdt& r, int) {
         pb::CrdtDelta d;
         *d.mutable_lwwregister()->mutable_value() = Element(0);
         Check(r.ApplyUpdate(d, 1));
       },
       [](int n) {
         pb::CrdtDelta d;
         *d.mutable_lwwregister()->mutable_value() = Element(n);
         return d;
       }},
  };
}

// The plain container the baselines use: the same element bytes (or writer ids) in a std::set.
std::set<std::string> PlainElements(const Kind& kind) {
  std::set<std::string> plain;
  for (int i = 0; i < kind.size; ++i) {
    bool is_set = kind.type == CrdtType::kGSet || kind.type == CrdtType::kORSet || kind.type == CrdtType::kORMap;
    plain.insert(is_set ? replicated::AnyKey(Element(i)) : "writer-" + std::to_string(i));
  }
  return plain;
}

void Measure(const Kind& kind, const Config& config, Table& table) {
  Crdt filled(ReplicaId("node-a"), kind.type);
  kind.fill(filled, kind.size);
  filled.TakeDelta();
  // Another replica that starts from the same state and makes one change per delta.
  Crdt other(ReplicaId("node-b"), filled.FullState());
  std::vector<CrdtState> deltas;
  std::vector<std::string> changed;  // the change's bytes, inserted by the plain baseline
  for (int n = 0; n < config.deltas; ++n) {
    pb::CrdtDelta change = kind.change(n);
    Check(other.ApplyUpdate(change, 2 + n));
    deltas.push_back(other.TakeDelta());
    changed.push_back(change.SerializeAsString());
  }
  std::set<std::string> plain = PlainElements(kind);
  std::string label = kind.name + " (" + std::to_string(kind.size) + ")";
  double count = static_cast<double>(deltas.size());

  double merge_delta = MedianRate(config.reps, count, [&] {
    Crdt target = filled;
    return Seconds([&] {
      for (const CrdtState& delta : deltas) Check(target.Merge(delta));
    });
  });
  double insert_plain = MedianRate(config.reps, count, [&] {
    std::set<std::string> target = plain;
    return Seconds([&] {
      for (const std::string& element : changed) target.insert(element);
    });
  });
  table.Add({label + " merge 1-change delta", Rate(merge_delta) + "/s", Rate(insert_plain) + "/s",
             Ratio(merge_delta, insert_plain)});

  const CrdtState& full = other.FullState();
  double merge_full = MedianRate(config.reps, 1, [&] {
    Crdt target = filled;
    return Seconds([&] { Check(target.Merge(full)); });
  });
  double union_plain = MedianRate(config.reps, 1, [&] {
    return Seconds([&] {
      std::set<std::string> target = plain;
      for (const std::string& element : plain) target.insert(element);
    });
  });
  table.Add({label + " merge full state", Rate(merge_full) + "/s", Rate(union_plain) + "/s",
             Ratio(merge_full, union_plain)});

  // Sums of encoded sizes keep the encoders' results alive.
  size_t delta_bytes = 0, any_bytes = 0;
  double encode_delta = MedianRate(config.reps, count, [&] {
    delta_bytes = 0;
    return Seconds([&] {
      for (const CrdtState& delta : deltas) delta_bytes += replicated::EncodeCrdtState(delta).size();
    });
  });
  double encode_any = MedianRate(config.reps, count, [&] {
    any_bytes = 0;
    return Seconds([&] {
      for (int n = 0; n < config.deltas; ++n) any_bytes += Element(n).SerializeAsString().size();
    });
  });
  table.Add({label + " encode 1-change delta (" + std::to_string(delta_bytes / deltas.size()) + " B vs " +
                 std::to_string(any_bytes / deltas.size()) + " B)",
             Rate(encode_delta) + "/s", Rate(encode_any) + "/s", Ratio(encode_delta, encode_any)});

  size_t full_bytes = 0, plain_bytes = 0;
  double encode_full = MedianRate(config.reps, 1, [&] {
    return Seconds([&] { full_bytes = replicated::EncodeCrdtState(full).size(); });
  });
  double encode_plain = MedianRate(config.reps, 1, [&] {
    return Seconds([&] {
      pb::GSetDelta list;
      for (const std::string& element : plain) {
        google::protobuf::Any* any = list.add_added();
        if (kind.type == CrdtType::kGSet || kind.type == CrdtType::kORSet || kind.type == CrdtType::kORMap) {
          any->ParseFromString(element);
        } else {  // a writer id and an 8-byte total
          any->set_type_url(element);
          any->set_value(std::string(8, '\x01'));
        }
      }
      plain_bytes = list.SerializeAsString().size();
    });
  });
  table.Add({label + " encode full state (" + std::to_string(full_bytes / 1024) + " KiB vs " +
                 std::to_string(plain_bytes / 1024) + " KiB)",
             Rate(encode_full) + "/s", Rate(encode_plain) + "/s", Ratio(encode_full, encode_plain)});
}

}  // namespace
}  // namespace cloudstate::bench

int main(int argc, char** argv) {
  using namespace cloudstate::bench;
  try {
    cxxopts::Options parser("crdt_merge", "CRDT merge and delta-encoding rates vs plain std::set and protobuf lists");
    parser.add_options()
        ("elements", "elements or keys in sets and maps", cxxopts::value<int>()->default_value("10000"))
        ("writers", "writers of counters and votes", cxxopts::value<int>()->default_value("1000"))
        ("deltas", "one-change deltas merged and encoded per run", cxxopts::value<int>()->default_value("2000"))
        ("reps", "runs per figure (the median is printed)", cxxopts::value<int>()->default_value("5"))
        ("h,help", "show this help");
    auto args = parser.parse(argc, argv);
    if (args.count("help")) {
      std::cout << parser.help() << std::endl;
      return 0;
    }
    Config config;
    config.elements = args["elements"].as<int>();
    config.writers = args["writers"].as<int>();
    config.deltas = args["deltas"].as<int>();
    config.reps = args["reps"].as<int>();
    Table table({"figure", "crdt", "baseline", "crdt/base"});
    for (const auto& kind : Kinds(config)) Measure(kind, config, table);
    table.Print(std::cout);
  } catch (const std::exception& e) {  // cxxopts reports bad options by throwing
    std::cerr << "crdt_merge: " << e.what() << std::endl;
    return 2;
  }
  return 0;
}
