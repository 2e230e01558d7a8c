#include "stores/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cloudstate {

Result<std::unique_ptr<FileLock>> FileLock::Acquire(const std::string& path) {
  // O_CLOEXEC: a child the embedding application execs must not inherit (and keep) the lock.
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    int err = errno;
    return Status::Unavailable("cannot open lock file " + path + ": " + std::strerror(err));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return Status::Unavailable("locked by another process or already open in this one (lock file " + path + ")");
    }
    return Status::Unavailable("cannot lock " + path + ": " + std::strerror(err));
  }
  return std::unique_ptr<FileLock>(new FileLock(fd));
}

FileLock::~FileLock() { ::close(fd_); }

}  // namespace cloudstate
