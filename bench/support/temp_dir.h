// A scratch directory under /tmp for one benchmark run, removed with everything in it when the
// object goes, so a benchmark never leaves store files behind (nor reuses an old run's data).
#pragma once

#include <string>

namespace cloudstate::bench {

class TempDir {
 public:
  // Creates /tmp/<prefix>XXXXXX; aborts the benchmark when /tmp is not writable.
  explicit TempDir(const std::string& prefix);
  ~TempDir();

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name; nothing is created.
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace cloudstate::bench
