#include "proxy/action_stream.h"

#include <grpcpp/impl/codegen/proto_utils.h>

namespace cloudstate::proxy {

namespace act = cloudstate::action;

ActionShape StreamedShapeOf(const google::protobuf::MethodDescriptor& method) {
  if (!method.client_streaming()) return ActionShape::kStreamedOut;
  return method.server_streaming() ? ActionShape::kStreamed : ActionShape::kStreamedIn;
}

const char* ActionProtocolPath(ActionShape shape) {
  switch (shape) {
    case ActionShape::kStreamedIn: return "/cloudstate.action.ActionProtocol/handleStreamedIn";
    case ActionShape::kStreamedOut: return "/cloudstate.action.ActionProtocol/handleStreamedOut";
    case ActionShape::kStreamed: return "/cloudstate.action.ActionProtocol/handleStreamed";
  }
  return "";
}

ActionStream::ActionStream(Handlers handlers) : handlers_(std::move(handlers)) {}

std::shared_ptr<ActionStream> ActionStream::Open(const BridgeContext& context, ActionShape shape, Handlers handlers) {
  std::shared_ptr<ActionStream> stream(new ActionStream(std::move(handlers)));
  stream->token_ = context.calls->Track([weak = std::weak_ptr<ActionStream>(stream)] {
    if (auto open = weak.lock()) open->Cancel(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the sidecar is shutting down"));
  });
  stream->self_ = stream;
  // Every shape is one HTTP/2 stream of messages each way on the wire, so one generic bidi call
  // serves all three; the function's server enforces how many messages each side sends.
  stream->stub_ = std::make_unique<grpc::GenericStub>(context.channel);
  std::lock_guard lock(stream->mu_);  // a Cancel from the tracker waits until the holds exist
  stream->stub_->PrepareBidiStreamingCall(&stream->context_, ActionProtocolPath(shape), grpc::StubOptions(), stream.get());
  stream->AddMultipleHolds(2);  // write_hold_ and read_hold_
  stream->StartCall();
  return stream;
}

void ActionStream::Write(const act::ActionCommand& command) {
  std::lock_guard lock(mu_);
  if (cancelled_ || !write_hold_ || writing_ || close_after_write_) return;
  bool own_buffer = false;
  outgoing_.Clear();  // the serializer fills an empty buffer only
  if (!grpc::SerializationTraits<act::ActionCommand>::Serialize(command, &outgoing_, &own_buffer).ok()) return;
  writing_ = true;
  StartWrite(&outgoing_);
}

void ActionStream::CloseWrites() {
  std::lock_guard lock(mu_);
  StopWriting();
}

void ActionStream::Read() {
  std::lock_guard lock(mu_);
  if (cancelled_ || !read_hold_ || reading_) return;
  reading_ = true;
  StartRead(&incoming_);
}

void ActionStream::Cancel(grpc::Status reason) {
  std::lock_guard lock(mu_);
  if (cancelled_) return;
  cancelled_ = true;
  cancel_reason_ = std::move(reason);
  context_.TryCancel();
  // No WritesDone: the call is over; only the holds must go so OnDone can come.
  if (write_hold_) {
    write_hold_ = false;
    RemoveHold();
  }
  if (read_hold_) {
    read_hold_ = false;
    RemoveHold();
  }
}

void ActionStream::OnWriteDone(bool ok) {
  {
    std::lock_guard lock(mu_);
    writing_ = false;
    if (!ok || close_after_write_) StopWriting();
    if (cancelled_) return;
  }
  handlers_.on_written(ok);
}

void ActionStream::OnReadDone(bool ok) {
  act::ActionResponse response;
  bool garbled = false;
  {
    std::lock_guard lock(mu_);
    reading_ = false;
    if (!ok) {
      // The function ended its side: stop writing too, so OnDone can bring its status.
      StopReading();
      StopWriting();
      return;
    }
    if (cancelled_) return;
    garbled = !grpc::SerializationTraits<act::ActionResponse>::Deserialize(&incoming_, &response).ok();
  }
  if (garbled) {
    Cancel(grpc::Status(grpc::StatusCode::INTERNAL, "the user function sent a message that is not an ActionResponse"));
    return;
  }
  handlers_.on_response(std::move(response));
}

void ActionStream::OnDone(const grpc::Status& status) {
  bool cancelled = false;
  {
    std::lock_guard lock(mu_);
    cancelled = cancelled_;
  }
  handlers_.on_finish(cancelled ? cancel_reason_ : status, cancelled);
  handlers_ = {};    // the owner's captures go now, not when the last reference does
  self_.reset();  // may delete this
}

void ActionStream::StopWriting() {
  if (!write_hold_) return;
  if (writing_) {  // WritesDone must follow the message in flight
    close_after_write_ = true;
    return;
  }
  write_hold_ = false;
  StartWritesDone();
  RemoveHold();
}

void ActionStream::StopReading() {
  if (!read_hold_) return;
  read_hold_ = false;
  RemoveHold();
}

}  // namespace cloudstate::proxy
