#include "support/temp_dir.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

namespace cloudstate::bench {

TempDir::TempDir(const std::string& prefix) {
  std::string pattern = "/tmp/" + prefix + "XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) {
    std::perror("mkdtemp");
    std::exit(2);
  }
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code error;  // best effort: a failed cleanup must not turn a finished run into a crash
  std::filesystem::remove_all(path_, error);
}

}  // namespace cloudstate::bench
