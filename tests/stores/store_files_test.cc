// Conformance of the durable stores' files: what survives a reopen, and how opening fails on bad
// options, foreign or damaged files, newer formats and a store someone else holds.
#include <leveldb/db.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "store_harness.h"

namespace cloudstate::testing {
namespace {

namespace fs = std::filesystem;

void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string RandomBytes(size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(random());
  return bytes;
}

// Opening must fail with `code` and a message containing every one of `fragments`.
void CheckOpenFails(const StoreOptions& options, StatusCode code, std::vector<std::string> fragments) {
  Result<std::unique_ptr<Store>> store = OpenStore(options);
  REQUIRE_FALSE(store.ok());
  CHECK_MESSAGE(store.status().code() == code, store.status().ToString());
  for (const auto& fragment : fragments) {
    CHECK_MESSAGE(store.status().message().find(fragment) != std::string::npos,
                  "'" << fragment << "' missing from: " << store.status().ToString());
  }
}

void RunSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, message);
}

void PutLevelDb(const std::string& path, const std::string& key, const std::string& value) {
  leveldb::Options options;
  options.create_if_missing = true;
  leveldb::DB* db = nullptr;
  leveldb::Status status = leveldb::DB::Open(options, path, &db);
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  status = db->Put(leveldb::WriteOptions(), key, value);
  delete db;
  REQUIRE_MESSAGE(status.ok(), status.ToString());
}

const std::string kFormatKey("\0format", 7);

TEST_CASE("durable stores keep journals, snapshots and values across reopen") {
  for (std::string kind : {"sqlite", "leveldb"}) {
    for (Durability durability : {Durability::kSync, Durability::kBuffered}) {
      CAPTURE(kind);
      CAPTURE(static_cast<int>(durability));
      TempDir dir;
      StoreOptions options = OptionsIn(dir, kind, durability);
      const EntityKey a{"p", "a"}, b{"p", "b"};
      {
        std::unique_ptr<Store> store = MustOpen(options);
        CHECK(store->Describe().find(kind + ":" + options.path) == 0);
        JournalWrite write = Appending(a, 0, {"1", "2", "3"});
        write.snapshot = MakeAny("type.googleapis.com/test.State", "at3");
        REQUIRE(AppendAndWait(store->journal(), write).ok());
        REQUIRE(WriteAndWait(store->values(), Writing(a, 0, "va")).ok());
        REQUIRE(WriteAndWait(store->values(), Writing(b, 0, "vb")).ok());
        REQUIRE(WriteAndWait(store->values(), Writing(b, 1, std::nullopt)).ok());
      }
      std::unique_ptr<Store> store = MustOpen(options);
      CHECK(Texts(ReadAll(store->journal(), a)) == std::vector<std::string>{"1", "2", "3"});
      Result<std::optional<Snapshot>> snapshot = store->journal().LoadSnapshot(a);
      REQUIRE(snapshot.ok());
      REQUIRE(snapshot->has_value());
      CHECK((*snapshot)->sequence == 3);
      CHECK((*snapshot)->state.value() == "at3");
      CHECK(ReadValue(store->values(), a).value->value() == "va");
      CHECK(ReadValue(store->values(), b).version == 2);
      CHECK_FALSE(ReadValue(store->values(), b).value.has_value());
      // The fences survive too.
      CHECK(AppendAndWait(store->journal(), Appending(a, 0, {"x"})).code() == StatusCode::kConflict);
      CHECK(WriteAndWait(store->values(), Writing(b, 0, "x")).code() == StatusCode::kConflict);
      CHECK(AppendAndWait(store->journal(), Appending(a, 3, {"4"})).ok());
    }
  }
}

TEST_CASE("options are validated before anything is touched") {
  TempDir dir;
  for (std::string kind : {"sqlite", "leveldb"}) {
    CAPTURE(kind);
    StoreOptions options;
    options.kind = kind;
    CheckOpenFails(options, StatusCode::kInvalidArgument, {"path"});
    options = OptionsIn(dir, kind);
    options.settings["cache"] = "big";
    CheckOpenFails(options, StatusCode::kInvalidArgument, {"cache"});
    CHECK_FALSE(fs::exists(options.path));
  }
  StoreOptions unknown;
  unknown.kind = "cassandra";
  CheckOpenFails(unknown, StatusCode::kNotFound, {"cassandra", "leveldb", "memory", "sqlite"});
}

TEST_CASE("a second owner of a store gets Unavailable") {
  for (std::string kind : {"sqlite", "leveldb"}) {
    CAPTURE(kind);
    TempDir dir;
    StoreOptions options = OptionsIn(dir, kind);
    std::unique_ptr<Store> owner = MustOpen(options);
    REQUIRE(AppendAndWait(owner->journal(), Appending({"p", "a"}, 0, {"1"})).ok());

    // In this process...
    CheckOpenFails(options, StatusCode::kUnavailable, {"locked by another process or already open", options.path});

    // ...and in another one.
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      Result<std::unique_ptr<Store>> second = OpenStore(options);
      bool refused = !second.ok() && second.status().code() == StatusCode::kUnavailable &&
                     second.status().message().find("locked") != std::string::npos;
      _exit(refused ? 0 : 1);
    }
    int wstatus = 0;
    REQUIRE(waitpid(child, &wstatus, 0) == child);
    CHECK(WIFEXITED(wstatus));
    CHECK(WEXITSTATUS(wstatus) == 0);

    // The owner is untouched, and once it closes the store opens again.
    REQUIRE(AppendAndWait(owner->journal(), Appending({"p", "a"}, 1, {"2"})).ok());
    owner.reset();
    std::unique_ptr<Store> next = MustOpen(options);
    CHECK(Highest(next->journal(), {"p", "a"}) == 2);
  }
}

TEST_CASE("sqlite: a file that is not SQLite is Corruption and stays untouched") {
  TempDir dir;
  StoreOptions options = OptionsIn(dir, "sqlite");
  std::string garbage = RandomBytes(8192, 1);
  WriteFile(options.path, garbage);
  CheckOpenFails(options, StatusCode::kCorruption, {options.path, "not a database"});
  CHECK(ReadFile(options.path) == garbage);
}

TEST_CASE("sqlite: a database of another application is Corruption") {
  TempDir dir;
  StoreOptions options = OptionsIn(dir, "sqlite");
  RunSql(options.path, "CREATE TABLE notes (body TEXT); PRAGMA application_id = 1234;");
  CheckOpenFails(options, StatusCode::kCorruption, {options.path, "another application", "not a cloudstate store"});
  RunSql(options.path, "PRAGMA application_id = 0;");
  CheckOpenFails(options, StatusCode::kCorruption, {options.path, "not a cloudstate store"});
}

TEST_CASE("sqlite: a newer or unknown format version is refused") {
  TempDir dir;
  StoreOptions options = OptionsIn(dir, "sqlite");
  MustOpen(options).reset();
  RunSql(options.path, "PRAGMA user_version = 3;");
  CheckOpenFails(options, StatusCode::kCorruption, {options.path, "format version 3", "newer"});
  RunSql(options.path, "PRAGMA user_version = 0;");
  CheckOpenFails(options, StatusCode::kCorruption, {options.path, "unknown store format version 0"});
  RunSql(options.path, "PRAGMA user_version = 2; DROP TABLE event_feed;");
  CheckOpenFails(options, StatusCode::kCorruption, {options.path, "lacks tables"});
  RunSql(options.path, "PRAGMA user_version = 1; DROP TABLE snapshots;");
  CheckOpenFails(options, StatusCode::kCorruption, {options.path, "lacks tables"});
}

TEST_CASE("sqlite: a directory is not a store file") {
  TempDir dir;
  StoreOptions options = OptionsIn(dir, "sqlite");
  fs::create_directory(options.path);
  CheckOpenFails(options, StatusCode::kInvalidArgument, {options.path, "directory"});
}

TEST_CASE("sqlite: damaged pages are reported as Corruption") {
  TempDir dir;
  StoreOptions options = OptionsIn(dir, "sqlite", Durability::kBuffered);
  constexpr int kKeys = 20;
  {
    std::unique_ptr<Store> store = MustOpen(options);
    for (int k = 0; k < kKeys; ++k) {
      std::vector<std::string> texts(50, std::string(300, static_cast<char>('a' + k)));
      REQUIRE(AppendAndWait(store->journal(), Appending({"p", std::to_string(k)}, 0, texts)).ok());
    }
  }  // the last connection to close checkpoints the WAL into the main file
  std::string file = ReadFile(options.path);
  REQUIRE(file.size() > 64 * 1024);
  std::string garbage = RandomBytes(file.size() - 8192, 2);
  file.replace(8192, garbage.size(), garbage);  // keep the header and schema pages
  WriteFile(options.path, file);

  Result<std::unique_ptr<Store>> store = OpenStore(options);
  Status seen = store.status();
  for (int k = 0; store.ok() && k < kKeys && seen.ok(); ++k) {
    seen = (*store)->journal().ReadEvents({"p", std::to_string(k)}, 1, [](const StoredEvent&) { return true; });
  }
  CHECK_MESSAGE(seen.code() == StatusCode::kCorruption, seen.ToString());
  CHECK(seen.message().find(options.path) != std::string::npos);
}

TEST_CASE("leveldb: garbage in the database directory is Corruption") {
  TempDir dir;
  StoreOptions options = OptionsIn(dir, "leveldb");
  fs::create_directory(options.path);
  WriteFile(options.path + "/CURRENT", "MANIFEST-000002\n");
  WriteFile(options.path + "/MANIFEST-000002", RandomBytes(4096, 3));
  CheckOpenFails(options, StatusCode::kCorruption, {options.path});

  WriteFile(options.path + "/CURRENT", RandomBytes(100, 4));
  CheckOpenFails(options, StatusCode::kCorruption, {options.path});
}

TEST_CASE("leveldb: a directory of other files is not taken over") {
  TempDir dir;
  StoreOptions options = OptionsIn(dir, "leveldb");
  fs::create_directory(options.path);
  WriteFile(options.path + "/notes.txt", "mine");
  CheckOpenFails(options, StatusCode::kCorruption, {options.path, "no LevelDB database"});
  CHECK(fs::exists(options.path + "/notes.txt"));
  CHECK_FALSE(fs::exists(options.path + "/CURRENT"));

  fs::remove_all(options.path);
  WriteFile(options.path, "a file");
  CheckOpenFails(options, StatusCode::kInvalidArgument, {options.path, "not a directory"});
}

TEST_CASE("leveldb: a database of another application is Corruption") {
  TempDir dir;
  StoreOptions options = OptionsIn(dir, "leveldb");
  PutLevelDb(options.path, "hello", "world");
  CheckOpenFails(options, StatusCode::kCorruption, {options.path, "not a cloudstate store"});
}

TEST_CASE("leveldb: a newer or unknown format version is refused") {
  TempDir dir;
  StoreOptions options = OptionsIn(dir, "leveldb");
  MustOpen(options).reset();
  PutLevelDb(options.path, kFormatKey, "cloudstate-leveldb-store/3");
  CheckOpenFails(options, StatusCode::kCorruption, {options.path, "format version 3", "newer"});
  PutLevelDb(options.path, kFormatKey, "something else");
  CheckOpenFails(options, StatusCode::kCorruption, {options.path, "unknown store format record 'something else'"});
  PutLevelDb(options.path, kFormatKey, "cloudstate-leveldb-store/2");
  MustOpen(options).reset();
}

TEST_CASE("leveldb: damaged table files are reported as Corruption") {
  TempDir dir;
  StoreOptions options = OptionsIn(dir, "leveldb", Durability::kBuffered);
  constexpr int kKeys = 40;
  {
    std::unique_ptr<Store> store = MustOpen(options);
    for (int k = 0; k < kKeys; ++k) {
      // Incompressible payloads: enough to flush the memtable into table files several times.
      std::vector<std::string> texts;
      for (int i = 0; i < 100; ++i) texts.push_back(RandomBytes(2000, k * 1000 + i));
      REQUIRE(AppendAndWait(store->journal(), Appending({"p", std::to_string(k)}, 0, texts)).ok());
    }
  }
  // Closing can abandon a memtable flush half-way (its table file is then dropped on the next
  // open); opening again writes everything still in the log into table files before returning.
  MustOpen(options).reset();
  int damaged = 0;
  for (const auto& entry : fs::directory_iterator(options.path)) {
    if (entry.path().extension() != ".ldb") continue;
    std::string file = ReadFile(entry.path());
    for (size_t at = 1000; at + 64 < file.size(); at += 50000) file.replace(at, 64, RandomBytes(64, at));
    WriteFile(entry.path(), file);
    ++damaged;
  }
  REQUIRE(damaged > 0);

  Result<std::unique_ptr<Store>> store = OpenStore(options);
  Status seen = store.status();
  for (int k = 0; store.ok() && k < kKeys && seen.ok(); ++k) {
    seen = (*store)->journal().ReadEvents({"p", std::to_string(k)}, 1, [](const StoredEvent&) { return true; });
  }
  CHECK_MESSAGE(seen.code() == StatusCode::kCorruption, seen.ToString());
  CHECK(seen.message().find(options.path) != std::string::npos);
}

}  // namespace
}  // namespace cloudstate::testing
