// One streamed ActionProtocol call to the user function: handleStreamedIn, handleStreamedOut or
// handleStreamed. Both directions move one message at a time — the owner writes the next command
// once the last is written, and asks for the next response once it has dealt with the last — so a
// slow client or function slows the other side down instead of filling a queue. The object keeps
// itself alive until gRPC is done with it, and is tracked (see CallTracker) until destroyed.
#pragma once

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <google/protobuf/descriptor.h>

#include <functional>
#include <memory>
#include <mutex>

#include "cloudstate/action.pb.h"
#include "proxy/bridge_context.h"

namespace cloudstate::proxy {

enum class ActionShape { kStreamedIn, kStreamedOut, kStreamed };

// The shape of a call to `method`, which streams in at least one direction.
ActionShape StreamedShapeOf(const google::protobuf::MethodDescriptor& method);

// The ActionProtocol method a call of this shape goes to, e.g. "/cloudstate.action.ActionProtocol/handleStreamed".
const char* ActionProtocolPath(ActionShape shape);

class ActionStream final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  // Run on gRPC threads, never two at once. One already under way when Cancel is called may still
  // come; none starts after, except on_finish.
  struct Handlers {
    std::function<void(bool ok)> on_written;                                 // the last Write went out, or not
    std::function<void(cloudstate::action::ActionResponse)> on_response;     // answers Read
    // Once, last. `cancelled`: the call was cancelled here, and the status is the reason given.
    std::function<void(const grpc::Status&, bool cancelled)> on_finish;
  };

  // Starts the call; nothing is sent before the first Write.
  static std::shared_ptr<ActionStream> Open(const BridgeContext& context, ActionShape shape, Handlers handlers);

  // Safe to call from any thread. One Write at a time: the next after on_written.
  void Write(const cloudstate::action::ActionCommand& command);
  // Half-closes once the write in flight (if any) is out: the function sees the end of the stream.
  void CloseWrites();
  // Asks for the next response. None comes once the function has ended the stream; on_finish follows.
  void Read();
  // Ends the call at once (RST); on_finish follows with `reason`, which says why to the owner.
  void Cancel(grpc::Status reason);

 private:
  explicit ActionStream(Handlers handlers);

  void OnWriteDone(bool ok) override;
  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

  // With mu_ held. Each hold keeps OnDone away while we may still start that kind of operation.
  void StopWriting();
  void StopReading();

  std::unique_ptr<CallTracker::Token> token_;  // first: released after the context has let go of the channel
  std::unique_ptr<grpc::GenericStub> stub_;
  grpc::ClientContext context_;
  grpc::ByteBuffer outgoing_;
  grpc::ByteBuffer incoming_;

  std::mutex mu_;
  Handlers handlers_;
  bool writing_ = false;
  bool reading_ = false;
  bool close_after_write_ = false;
  bool write_hold_ = true;  // released by StopWriting
  bool read_hold_ = true;   // released by StopReading
  bool cancelled_ = false;
  grpc::Status cancel_reason_;
  std::shared_ptr<ActionStream> self_;
};

}  // namespace cloudstate::proxy
