// An exclusive advisory lock on a file (flock), held for the life of the object. flock locks belong
// to an open file description, so a second FileLock on the same path fails whether it is taken by
// another process or by this one: exactly the "one owner per store" rule the stores need.
#pragma once

#include <memory>
#include <string>

#include "cloudstate/status.h"

namespace cloudstate {

class FileLock {
 public:
  // Creates `path` when missing and locks it without waiting. Unavailable when someone holds it.
  static Result<std::unique_ptr<FileLock>> Acquire(const std::string& path);
  ~FileLock();  // unlocks; the file stays

  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace cloudstate
