#include "store_harness.h"

#include <stdlib.h>

#include <filesystem>

namespace cloudstate::testing {

TempDir::TempDir() {
  const char* base = std::getenv("CLOUDSTATE_TEST_TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/store-test-XXXXXX";
  std::filesystem::create_directories(std::filesystem::path(pattern).parent_path());
  if (::mkdtemp(pattern.data()) == nullptr) FAIL("mkdtemp " << pattern << " failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

const StoreConfig& ConfigNamed(std::string_view name) {
  // The plain durable runs sync; the re-run modes use the buffered policy, so both are covered.
  static const StoreConfig kConfigs[] = {
      {"memory", "memory", Durability::kSync, false, false},
      {"sqlite", "sqlite", Durability::kSync, true, false},
      {"sqlite reopening", "sqlite", Durability::kBuffered, true, true},
      {"leveldb", "leveldb", Durability::kSync, true, false},
      {"leveldb reopening", "leveldb", Durability::kBuffered, true, true},
  };
  for (const auto& config : kConfigs) {
    if (config.name == name) return config;
  }
  FAIL("no store configuration " << name);
  return kConfigs[0];
}

StoreOptions OptionsIn(const TempDir& dir, std::string_view kind, Durability durability) {
  StoreOptions options;
  options.kind = std::string(kind);
  options.durability = durability;
  if (kind == "sqlite") options.path = dir.Join("store.db");
  if (kind == "leveldb") options.path = dir.Join("store");
  return options;
}

StoreHarness::StoreHarness(const StoreConfig& config) : config_(config) {
  RegisterBuiltinStores(registry_);
  options_ = OptionsIn(dir_, config.kind, config.durability);
  Open();
}

StoreHarness::~StoreHarness() { Close(); }

void StoreHarness::Open() {
  REQUIRE(store_ == nullptr);
  Result<std::unique_ptr<Store>> opened = registry_.Open(options_);
  REQUIRE_MESSAGE(opened.ok(), opened.status().ToString());
  store_ = std::move(*opened);
}

void StoreHarness::Close() { store_.reset(); }

void StoreHarness::Reopen() {
  REQUIRE(config_.durable);
  Close();
  Open();
}

void StoreHarness::Step() {
  if (config_.reopen_every_step) Reopen();
}

Status StoreHarness::Append(JournalWrite write) {
  Status status = AppendAndWait(journal(), std::move(write));
  Step();
  return status;
}

Status StoreHarness::Write(ValueWrite write) {
  Status status = WriteAndWait(values(), std::move(write));
  Step();
  return status;
}

void RunStoreTest(std::string_view config_name, void (*test)(StoreHarness&)) {
  StoreHarness harness(ConfigNamed(config_name));
  test(harness);
}

google::protobuf::Any MakeAny(std::string_view type, std::string_view bytes) {
  google::protobuf::Any any;
  any.set_type_url(std::string(type));
  any.set_value(std::string(bytes));
  return any;
}

JournalWrite Appending(const EntityKey& key, int64_t expected, std::vector<std::string> texts) {
  JournalWrite write;
  write.key = key;
  write.expected_sequence = expected;
  for (const auto& text : texts) write.events.push_back(Event(text));
  return write;
}

ValueWrite Writing(const EntityKey& key, int64_t expected, std::optional<std::string> text) {
  ValueWrite write;
  write.key = key;
  write.expected_version = expected;
  if (text) write.value = MakeAny("type.googleapis.com/test.Value", *text);
  return write;
}

std::vector<StoredEvent> ReadAll(Journal& journal, const EntityKey& key, int64_t from) {
  std::vector<StoredEvent> events;
  Status status = journal.ReadEvents(key, from, [&](const StoredEvent& event) {
    events.push_back(event);
    return true;
  });
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  return events;
}

std::vector<std::string> Texts(const std::vector<StoredEvent>& events) {
  std::vector<std::string> texts;
  for (const auto& event : events) texts.push_back(event.payload.value());
  return texts;
}

std::vector<FeedEvent> Feed(Journal& journal, const std::string& persistence_id, int64_t after) {
  std::vector<FeedEvent> events;
  Status status = journal.ReadFeed(persistence_id, after, [&](const FeedEvent& event) {
    events.push_back(event);
    return true;
  });
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  return events;
}

std::vector<std::string> Described(const std::vector<FeedEvent>& events) {
  std::vector<std::string> out;
  for (const auto& event : events) {
    out.push_back(event.entity_id + ":" + std::to_string(event.sequence) + ":" + event.payload.value());
  }
  return out;
}

Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options) {
  StoreRegistry registry;
  RegisterBuiltinStores(registry);
  return registry.Open(options);
}

std::unique_ptr<Store> MustOpen(const StoreOptions& options) {
  Result<std::unique_ptr<Store>> store = OpenStore(options);
  REQUIRE_MESSAGE(store.ok(), store.status().ToString());
  return std::move(*store);
}

int64_t Highest(Journal& journal, const EntityKey& key) {
  Result<int64_t> highest = journal.HighestSequence(key);
  REQUIRE_MESSAGE(highest.ok(), highest.status().ToString());
  return *highest;
}

VersionedValue ReadValue(ValueStore& values, const EntityKey& key) {
  Result<VersionedValue> value = values.Read(key);
  REQUIRE_MESSAGE(value.ok(), value.status().ToString());
  return *value;
}

}  // namespace cloudstate::testing
