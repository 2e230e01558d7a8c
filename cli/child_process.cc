#include "child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace cloudstate::cli {

Result<std::unique_ptr<ChildProcess>> ChildProcess::Start(const std::vector<std::string>& argv,
                                                          const std::map<std::string, std::string>& environment,
                                                          std::string log_prefix) {
  if (argv.empty()) return Status::InvalidArgument("no command to run");
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return Status::Unavailable(std::string("pipe: ") + std::strerror(errno));
  pid_t pid = fork();
  if (pid < 0) return Status::Unavailable(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    // The child: its own process group (Ctrl-C reaches it through us), output into the pipe, and
    // the stop signals the parent blocked unblocked again.
    setpgid(0, 0);
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_UNBLOCK, &all, nullptr);
    for (const auto& [name, value] : environment) setenv(name.c_str(), value.c_str(), 1);
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    std::fprintf(stderr, "cannot start %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  close(pipe_fds[1]);
  std::unique_ptr<ChildProcess> child(new ChildProcess(pid, pipe_fds[0]));
  child->copier_ = std::thread([raw = child.get(), prefix = std::move(log_prefix)] { raw->CopyOutput(prefix); });
  return child;
}

void ChildProcess::CopyOutput(std::string prefix) {
  std::string line;
  char buffer[4096];
  for (;;) {
    ssize_t n = read(output_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; ++i) {
      line.push_back(buffer[i]);
      if (buffer[i] == '\n') {
        std::fprintf(stderr, "%s%s", prefix.c_str(), line.c_str());
        line.clear();
      }
    }
  }
  if (!line.empty()) std::fprintf(stderr, "%s%s\n", prefix.c_str(), line.c_str());
  close(output_);
}

bool ChildProcess::Exited(int* exit_code) {
  if (!reaped_) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_) return false;
    reaped_ = true;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  *exit_code = exit_code_;
  return true;
}

void ChildProcess::Stop(std::chrono::milliseconds grace) {
  int code;
  if (!Exited(&code)) {
    kill(pid_, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + grace;
    while (!Exited(&code) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!Exited(&code)) {
      kill(pid_, SIGKILL);
      int status;
      waitpid(pid_, &status, 0);
      reaped_ = true;
    }
  }
  if (copier_.joinable()) copier_.join();
}

ChildProcess::~ChildProcess() { Stop(std::chrono::seconds(5)); }

}  // namespace cloudstate::cli
