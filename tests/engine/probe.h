// What the test entities report back to the test: which instances were created, which snapshots,
// events and commands each entity saw, and any broken promise they noticed from the inside
// (two commands at once, an event out of sequence, a side effect before its source was persisted).
// Safe to use from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "cloudstate/engine.h"
#include "cloudstate/metadata.h"
#include "test_util.h"

namespace cloudstate::testing {

struct CommandRecord {
  std::string name;
  int64_t command_id = 0;
  MetadataEntries metadata;
  // The metadata value for `key`, "" when absent.
  std::string Get(const std::string& key) const;
};

// Everything one entity (type + id) was seen doing, in order.
struct EntityLog {
  int instances = 0;                   // factory calls: one per activation or restart
  std::vector<int64_t> snapshot_seqs;  // HandleSnapshot calls
  std::vector<int64_t> event_seqs;     // HandleEvent calls, replayed and emitted
  int snapshots_taken = 0;             // Snapshot() calls
  std::vector<CommandRecord> commands;
};

class Probe {
 public:
  void Instance(const std::string& key);
  void SnapshotHandled(const std::string& key, int64_t sequence);
  void EventHandled(const std::string& key, int64_t sequence);
  void SnapshotTaken(const std::string& key);
  // Called when a handler starts; records a violation when another command of the entity is running.
  void EnterCommand(const std::string& key, CommandRecord record);
  void LeaveCommand(const std::string& key);
  void Violation(std::string what);

  EntityLog Log(const std::string& key);
  std::vector<std::string> Violations();

  // The engine whose store handlers check; set by the test after Open.
  std::atomic<Engine*> engine{nullptr};
  // "Block" commands wait here (with a deadline) after counting themselves in `blocked`.
  Gate gate;
  std::atomic<int> blocked{0};

 private:
  std::mutex mu_;
  std::map<std::string, EntityLog> logs_;
  std::map<std::string, int> inside_;
  std::vector<std::string> violations_;
};

}  // namespace cloudstate::testing
