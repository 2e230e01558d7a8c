// A small client of the presence service behind a sidecar.
//
//   chat-presence-client [--address 127.0.0.1:9000] connect <user>   stays connected until Ctrl-C
//   chat-presence-client [--address 127.0.0.1:9000] monitor <user>   prints "<user> online|offline"
//                                                                    on each change, until Ctrl-C
#include <grpcpp/grpcpp.h>

#include <csignal>
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
// get them.
void CancelOnSignal(grpc::ClientContext& context) {
  std::thread([stop = StopSignals(), &context] {
    int signal = 0;
    sigwait(&stop, &signal);
    context.TryCancel();
  }).detach();
}

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
  CancelOnSignal(context);
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
    return Usage();
  }
  if (status.error_code() == grpc::StatusCode::CANCELLED) return 0;  // Ctrl-C
  if (!status.ok()) {
    std::cerr << "chat-presence-client: " << status.error_message() << " (code " << status.error_code() << ")\n";
    return 1;
  }
  return 0;
}
