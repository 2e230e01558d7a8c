// A child process whose stdout and stderr are copied, line by line and prefixed, to our stderr.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cloudstate/status.h"

namespace cloudstate::cli {

class ChildProcess {
 public:
  // Starts `argv` (searched in PATH) with `environment` added to ours.
  static Result<std::unique_ptr<ChildProcess>> Start(const std::vector<std::string>& argv,
                                                     const std::map<std::string, std::string>& environment,
                                                     std::string log_prefix);
  // Stop()s.
  ~ChildProcess();

  // Whether it has exited; `exit_code` then holds its code (128 + signal when killed).
  bool Exited(int* exit_code);
  // SIGTERM, then SIGKILL after `grace`; waits for it.
  void Stop(std::chrono::milliseconds grace);

 private:
  ChildProcess(pid_t pid, int output) : pid_(pid), output_(output) {}
  void CopyOutput(std::string prefix);

  pid_t pid_;
  int output_;
  bool reaped_ = false;
  int exit_code_ = 0;
  std::thread copier_;
};

}  // namespace cloudstate::cli
