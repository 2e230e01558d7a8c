// The process the crash test kills. It opens a store with Durability::kSync and, from several
// threads, appends batches of events (each event names its batch, the batch size and its index)
// and writes values, printing one line to stdout for every acknowledged write:
//   E <persistence id> <entity id> <first sequence> <batch size> <batch id>
//   V <entity id> <version> <batch id>
// Most batches go to persistence id "crash"; every fifth to "crash-other", so the event feeds of
// two persistence ids fill from one store-wide offset counter.
// Each line goes out in one write(2) to a pipe, so a line is either seen whole or not at all.
//
// Usage: store_crash_writer <kind> <path> <threads> <round>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "cloudstate/store.h"
#include "cloudstate/store_registry.h"

namespace {

using namespace cloudstate;

constexpr char kPersistenceId[] = "crash";
constexpr char kOtherPersistenceId[] = "crash-other";
// Enough to keep writing past the latest kill time the test picks.
constexpr int kMaxBatchesPerThread = 3000;

void Emit(const std::string& line) {
  if (::write(STDOUT_FILENO, line.data(), line.size()) != static_cast<ssize_t>(line.size())) std::_Exit(4);
}

[[noreturn]] void Fail(const std::string& what, const Status& status) {
  std::fprintf(stderr, "crash writer: %s: %s\n", what.c_str(), status.ToString().c_str());
  std::_Exit(3);
}

void WriteBatches(Store& store, int thread, const std::string& round) {
  const EntityKey own{kPersistenceId, "writer-" + std::to_string(thread)};
  const EntityKey shared{kPersistenceId, "shared"};
  const EntityKey other{kOtherPersistenceId, own.entity_id};
  Result<VersionedValue> value = store.values().Read(own);
  if (!value.ok()) Fail("reading the value", value.status());
  int64_t version = value->version;

  for (int n = 0; n < kMaxBatchesPerThread; ++n) {
    // Every fourth batch races the other threads for the shared journal.
    const EntityKey& key = n % 4 == 3 ? shared : n % 5 == 4 ? other : own;
    const std::string batch = round + "-t" + std::to_string(thread) + "-n" + std::to_string(n);
    const int size = 1 + (n * 7 + thread) % 6;
    for (;;) {
      Result<int64_t> highest = store.journal().HighestSequence(key);
      if (!highest.ok()) Fail("reading the highest sequence", highest.status());
      JournalWrite write;
      write.key = key;
      write.expected_sequence = *highest;
      for (int i = 0; i < size; ++i) {
        google::protobuf::Any& event = write.events.emplace_back();
        event.set_type_url("type.googleapis.com/crash.Event");
        event.set_value(batch + " " + std::to_string(size) + " " + std::to_string(i));
      }
      write.snapshot.emplace().set_value(batch + " snapshot");
      Status status = AppendAndWait(store.journal(), std::move(write));
      if (status.code() == StatusCode::kConflict) continue;
      if (!status.ok()) Fail("appending", status);
      Emit("E " + key.persistence_id + " " + key.entity_id + " " + std::to_string(*highest + 1) + " " +
           std::to_string(size) + " " + batch + "\n");
      break;
    }
    ValueWrite write;
    write.key = own;
    write.expected_version = version;
    write.value.emplace().set_value(batch);
    if (Status status = WriteAndWait(store.values(), std::move(write)); !status.ok()) Fail("writing the value", status);
    ++version;
    Emit("V " + own.entity_id + " " + std::to_string(version) + " " + batch + "\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s <kind> <path> <threads> <round>\n", argv[0]);
    return 2;
  }
  StoreRegistry registry;
  RegisterBuiltinStores(registry);
  StoreOptions options;
  options.kind = argv[1];
  options.path = argv[2];
  options.durability = Durability::kSync;
  Result<std::unique_ptr<Store>> store = registry.Open(options);
  if (!store.ok()) Fail("opening", store.status());

  std::vector<std::thread> threads;
  for (int t = 0; t < std::atoi(argv[3]); ++t) {
    threads.emplace_back(WriteBatches, std::ref(**store), t, std::string("r") + argv[4]);
  }
  for (auto& thread : threads) thread.join();
  return 0;
}
