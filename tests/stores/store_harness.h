// What the store conformance suite runs on: every case is written once against the public API and
// registered for each store configuration, including re-run modes that close and reopen the store
// after every step (DuckDB's re-run configurations; LevelDB's reopen-heavy tests).
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cloudstate/store.h"
#include "cloudstate/store_registry.h"

namespace cloudstate::testing {

// A fresh directory under $CLOUDSTATE_TEST_TMPDIR (meson sets it to the build dir) or /tmp,
// removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Join(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

struct StoreConfig {
  std::string name;         // as it appears in test names
  std::string kind;         // registered store kind
  Durability durability = Durability::kSync;
  bool durable = false;     // survives close and reopen
  bool reopen_every_step = false;
};

// The configurations every conformance case runs against.
const StoreConfig& ConfigNamed(std::string_view name);

// Options for a store of `kind` inside `dir`: a file for sqlite, a directory for leveldb.
StoreOptions OptionsIn(const TempDir& dir, std::string_view kind, Durability durability = Durability::kSync);

class StoreHarness {
 public:
  explicit StoreHarness(const StoreConfig& config);
  ~StoreHarness();

  const StoreConfig& config() const { return config_; }
  const StoreOptions& options() const { return options_; }
  const StoreRegistry& registry() const { return registry_; }
  Store& store() { return *store_; }
  Journal& journal() { return store_->journal(); }
  ValueStore& values() { return store_->values(); }

  // The end of a step: in re-run mode, closes and reopens the store.
  void Step();
  // Closes the store (waiting for accepted writes) and opens it again. Durable stores only.
  void Reopen();
  // Closes the store; Open() brings it back.
  void Close();
  void Open();

  // Blocking writes that end a step.
  Status Append(JournalWrite write);
  Status Write(ValueWrite write);

 private:
  StoreConfig config_;
  TempDir dir_;
  StoreRegistry registry_;
  StoreOptions options_;
  std::unique_ptr<Store> store_;
};

void RunStoreTest(std::string_view config_name, void (*test)(StoreHarness&));

// Registers `fn` as one test case per store configuration ("sqlite reopening: fn", ...), so a
// failure names the store and one store's cases can be run alone (-tc='leveldb*').
#define STORE_TEST(fn)                                                                         \
  static void fn(::cloudstate::testing::StoreHarness& h);                                      \
  TEST_CASE("memory: " #fn) { ::cloudstate::testing::RunStoreTest("memory", fn); }             \
  TEST_CASE("sqlite: " #fn) { ::cloudstate::testing::RunStoreTest("sqlite", fn); }             \
  TEST_CASE("sqlite reopening: " #fn) { ::cloudstate::testing::RunStoreTest("sqlite reopening", fn); } \
  TEST_CASE("leveldb: " #fn) { ::cloudstate::testing::RunStoreTest("leveldb", fn); }           \
  TEST_CASE("leveldb reopening: " #fn) { ::cloudstate::testing::RunStoreTest("leveldb reopening", fn); } \
  static void fn([[maybe_unused]] ::cloudstate::testing::StoreHarness& h)

// Test data.
google::protobuf::Any MakeAny(std::string_view type, std::string_view bytes);
inline google::protobuf::Any Event(std::string_view text) { return MakeAny("type.googleapis.com/test.Event", text); }
JournalWrite Appending(const EntityKey& key, int64_t expected, std::vector<std::string> texts);
ValueWrite Writing(const EntityKey& key, int64_t expected, std::optional<std::string> text);

// Reads the key's events from `from`; REQUIREs success.
std::vector<StoredEvent> ReadAll(Journal& journal, const EntityKey& key, int64_t from = 1);
// The payload values of events, for comparing with the texts appended.
std::vector<std::string> Texts(const std::vector<StoredEvent>& events);
int64_t Highest(Journal& journal, const EntityKey& key);
VersionedValue ReadValue(ValueStore& values, const EntityKey& key);

// Reads the persistence id's feed after `after`; REQUIREs success.
std::vector<FeedEvent> Feed(Journal& journal, const std::string& persistence_id, int64_t after = 0);
// "entity:sequence:payload" per event, for comparing whole feeds.
std::vector<std::string> Described(const std::vector<FeedEvent>& events);

// Opens a built-in store; REQUIREs success.
Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options);
std::unique_ptr<Store> MustOpen(const StoreOptions& options);

}  // namespace cloudstate::testing
