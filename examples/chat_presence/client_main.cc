// A small client of the presence service behind a sidecar.
//
//   chat-presence-client [--address 127.0.0.1:9000] connect <user>   stays connected until Ctrl-C
//   chat-presence-client [--address 127.0.0.1:9000] monitor <user>   prints "<user> online|offline"
//                                                                    on each change, until Ctrl-C
#include <grpcpp/grpcpp.h>

#include <csignal>
#include <mutex>
#include <iostream>
#include <string>
#include <thread>

#include "presence.grpc.pb.h"

namespace {

using com::example::chat::presence::OnlineStatus;
using com::example::chat::presence::Presence;
using com::example::chat::presence::User;

int Usage() {
  std::cerr << "usage: chat-presence-client [--address HOST:PORT] connect|monitor USER\n";
  return 2;
}

sigset_t StopSignals() {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  return stop;
}

// Cancels the call in flight on SIGINT or SIGTERM, so the sidecar sees the client go away. The
// signals must be blocked in every thread (main does so before gRPC starts any) for sigwait to
// get them. The cancel happens under a lock that main takes before the context goes: a cancel
// still running when the call ends would otherwise touch a destroyed context.
class CancelOnSignal {
 public:
  explicit CancelOnSignal(grpc::ClientContext& context) : context_(context) {
    std::thread([this, stop = StopSignals()] {
      int signal = 0;
      sigwait(&stop, &signal);
      std::lock_guard lock(mu_);
      if (!done_) context_.TryCancel();
    }).detach();  // blocked in sigwait for good unless a signal comes: it cannot be joined
  }
  // No cancel runs once this returns.
  void CallEnded() {
    std::lock_guard lock(mu_);
    done_ = true;
  }

 private:
  grpc::ClientContext& context_;
  std::mutex mu_;
  bool done_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  const sigset_t stop = StopSignals();
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  std::string address = "127.0.0.1:9000";
  int arg = 1;
  if (arg + 1 < argc && std::string(argv[arg]) == "--address") {
    address = argv[arg + 1];
    arg += 2;
  }
  if (argc - arg != 2) return Usage();
  const std::string command = argv[arg];
  User user;
  user.set_name(argv[arg + 1]);

  auto stub = Presence::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  // Static: the signal thread may still reach it while main returns.
  static CancelOnSignal* cancel_on_signal = new CancelOnSignal(context);
  grpc::Status status;
  if (command == "connect") {
    auto reader = stub->Connect(&context, user);
    std::cout << user.name() << " connected" << std::endl;
    google::protobuf::Empty ignored;
    while (reader->Read(&ignored)) {
    }
    status = reader->Finish();
  } else if (command == "monitor") {
    auto reader = stub->Monitor(&context, user);
    OnlineStatus online;
    while (reader->Read(&online)) std::cout << user.name() << (online.online() ? " online" : " offline") << std::endl;
    status = reader->Finish();
  } else {
    cancel_on_signal->CallEnded();
    return Usage();
  }
  cancel_on_signal->CallEnded();
  if (status.error_code() == grpc::StatusCode::CANCELLED) return 0;  // Ctrl-C
  if (!status.ok()) {
    std::cerr << "chat-presence-client: " << status.error_message() << " (code " << status.error_code() << ")\n";
    return 1;
  }
  return 0;
}
