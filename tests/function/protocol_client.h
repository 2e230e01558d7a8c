// Wire side of the protocol tests: talks to a function server the way a proxy does, over loopback
// gRPC with the generated protocol stubs. Every call has a deadline, so a server that fails to
// answer fails the test instead of hanging it.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <google/protobuf/any.pb.h>
#include <google/protobuf/message.h>

#include "cloudstate/action.grpc.pb.h"
#include "cloudstate/entity.grpc.pb.h"
#include "cloudstate/event_sourced.grpc.pb.h"
#include "cloudstate/value_entity.grpc.pb.h"

namespace fntest_support {

namespace es = ::cloudstate::eventsourced;
namespace ve = ::cloudstate::valueentity;
namespace ac = ::cloudstate::action;

std::shared_ptr<grpc::Channel> Connect(int port);
void SetDeadline(grpc::ClientContext& context, std::chrono::seconds seconds = std::chrono::seconds(10));

google::protobuf::Any Pack(const google::protobuf::Message& message);

// Protocol messages as a proxy builds them.
es::EventSourcedStreamIn EsInit(const std::string& service, const std::string& entity_id);
es::EventSourcedStreamIn EsInit(const std::string& service, const std::string& entity_id, int64_t snapshot_sequence,
                                const google::protobuf::Message& snapshot);
es::EventSourcedStreamIn EsEvent(int64_t sequence, const google::protobuf::Message& event);
es::EventSourcedStreamIn EsCommand(const std::string& entity_id, int64_t id, const std::string& name,
                                   const google::protobuf::Message& payload);
ve::ValueEntityStreamIn VeInit(const std::string& service, const std::string& entity_id,
                               const google::protobuf::Message* state);
ve::ValueEntityStreamIn VeCommand(const std::string& entity_id, int64_t id, const std::string& name,
                                  const google::protobuf::Message& payload);

// One bidirectional entity stream (EventSourced.handle or ValueEntity.handle).
template <typename Stub, typename In, typename Out>
class EntityStream {
 public:
  explicit EntityStream(const std::shared_ptr<grpc::Channel>& channel) : stub_(channel) {
    SetDeadline(context_);
    stream_ = stub_.handle(&context_);
  }

  bool Send(const In& in) { return stream_->Write(in); }

  // The next message, or nullopt when the server ended its side.
  std::optional<Out> Receive() {
    Out out;
    if (!stream_->Read(&out)) return std::nullopt;
    return out;
  }

  // Sends `in` and returns the answer (nullopt: the stream ended).
  std::optional<Out> Exchange(const In& in) {
    if (!Send(in)) return std::nullopt;
    return Receive();
  }

  // Half-closes as a proxy does when passivating or restarting, and returns how the server ended
  // the call, which must come with no further message.
  grpc::Status Close() {
    stream_->WritesDone();
    Out extra;
    if (stream_->Read(&extra)) return grpc::Status(grpc::StatusCode::INTERNAL, "unexpected message after close");
    return stream_->Finish();
  }

  // After the server ended its side on its own: its status.
  grpc::Status Finish() {
    stream_->WritesDone();
    return stream_->Finish();
  }

 private:
  typename Stub::Stub stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<In, Out>> stream_;
};

using EsStream = EntityStream<es::EventSourced, es::EventSourcedStreamIn, es::EventSourcedStreamOut>;
using VeStream = EntityStream<ve::ValueEntity, ve::ValueEntityStreamIn, ve::ValueEntityStreamOut>;

// Discovery as a proxy calls it.
::cloudstate::EntitySpec Discover(const std::shared_ptr<grpc::Channel>& channel);

}  // namespace fntest_support
