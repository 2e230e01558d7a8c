#include "probe.h"

namespace cloudstate::testing {

std::string CommandRecord::Get(const std::string& key) const {
  for (const auto& [k, v] : metadata) {
    if (k == key) return v;
  }
  return "";
}

void Probe::Instance(const std::string& key) {
  std::lock_guard lock(mu_);
  logs_[key].instances += 1;
}

void Probe::SnapshotHandled(const std::string& key, int64_t sequence) {
  std::lock_guard lock(mu_);
  logs_[key].snapshot_seqs.push_back(sequence);
}

void Probe::EventHandled(const std::string& key, int64_t sequence) {
  std::lock_guard lock(mu_);
  logs_[key].event_seqs.push_back(sequence);
}

void Probe::SnapshotTaken(const std::string& key) {
  std::lock_guard lock(mu_);
  logs_[key].snapshots_taken += 1;
}

void Probe::EnterCommand(const std::string& key, CommandRecord record) {
  std::lock_guard lock(mu_);
  if (inside_[key]++ != 0) violations_.push_back(key + ": two commands ran at once");
  logs_[key].commands.push_back(std::move(record));
}

void Probe::LeaveCommand(const std::string& key) {
  std::lock_guard lock(mu_);
  inside_[key] -= 1;
}

void Probe::Violation(std::string what) {
  std::lock_guard lock(mu_);
  violations_.push_back(std::move(what));
}

EntityLog Probe::Log(const std::string& key) {
  std::lock_guard lock(mu_);
  return logs_[key];
}

std::vector<std::string> Probe::Violations() {
  std::lock_guard lock(mu_);
  return violations_;
}

}  // namespace cloudstate::testing
