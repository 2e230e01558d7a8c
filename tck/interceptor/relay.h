// How the interceptor passes one protocol call on to the user function: each message goes through
// the traffic alteration (if any), is recorded on the call's Connection and is forwarded; the end
// of each direction is recorded too. Blocking gRPC calls, one relay thread per stream direction.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/sync_stream.h>

#include "alteration.h"
#include "recording.h"

namespace cloudstate::tck {

inline std::string DescribeStatus(const grpc::Status& status) {
  if (status.ok()) return "OK";
  return "status " + std::to_string(static_cast<int>(status.error_code())) + ": " + status.error_message();
}

// True when `message` is to be relayed (it has then been recorded).
inline bool Deliver(Connection& connection, Direction direction, google::protobuf::Message& message,
                    TrafficAlteration* alteration) {
  TrafficAlteration::Verdict verdict =
      alteration == nullptr ? TrafficAlteration::Verdict::kPass : alteration->Alter(connection, direction, message);
  switch (verdict) {
    case TrafficAlteration::Verdict::kPass:
      connection.Record(direction, message);
      return true;
    case TrafficAlteration::Verdict::kWithhold:
      if (direction == Direction::kOut) connection.WaitComplete(Direction::kIn);
      return false;
    case TrafficAlteration::Verdict::kDrop:
      return false;
  }
  return false;
}

// Relays a bidirectional stream. `service_of` names the service from the first proxy message.
// When the user function ends its side first, the proxy's call is cancelled (a blocking server
// cannot end a call while it waits for the proxy's next message).
template <typename In, typename Out, typename OpenStream, typename ServiceOf>
grpc::Status RelayBidi(grpc::ServerContext& server_context, grpc::ServerReaderWriter<Out, In>& proxy,
                       OpenStream open, ServiceOf service_of, Connection& connection,
                       TrafficAlteration* alteration) {
  std::unique_ptr<grpc::ClientContext> function_context = grpc::ClientContext::FromServerContext(server_context);
  std::unique_ptr<grpc::ClientReaderWriter<In, Out>> function = open(function_context.get());
  std::thread to_proxy([&] {
    Out message;
    while (function->Read(&message)) {
      if (Deliver(connection, Direction::kOut, message, alteration)) proxy.Write(message);
    }
    if (!connection.WaitComplete(Direction::kIn, std::chrono::steady_clock::now())) server_context.TryCancel();
  });
  In message;
  bool first = true;
  while (proxy.Read(&message)) {
    if (first) connection.SetService(service_of(message));
    first = false;
    if (Deliver(connection, Direction::kIn, message, alteration)) function->Write(message);
  }
  const bool cancelled = server_context.IsCancelled();
  connection.Complete(Direction::kIn, cancelled ? "cancelled" : "OK");
  if (cancelled) {
    function_context->TryCancel();
  } else {
    function->WritesDone();
  }
  to_proxy.join();
  grpc::Status status = function->Finish();
  connection.Complete(Direction::kOut, DescribeStatus(status));
  return status;
}

}  // namespace cloudstate::tck
