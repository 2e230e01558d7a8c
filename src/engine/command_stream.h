// The engine's side of a streamed command: delivers the reply, then each later message in order
// (running its side effects and forward through the engine first), then the end; and tells the
// entity's runtime when the caller cancels.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "cloudstate/crdt_entity.h"
#include "engine/engine_extensions.h"
#include "entity/stream_sink.h"

namespace cloudstate {

class EngineStream final : public StreamSink, public std::enable_shared_from_this<EngineStream> {
 public:
  using Release = std::function<void(CommandOutcome, ReplyCallback)>;
  EngineStream(Release release, StreamCallbacks callbacks);

  void Send(CommandOutcome message) override;
  void End(Status status) override;
  void OnCancel(std::function<void()> cancelled) override;

  // The command's reply (or failure); nothing else is delivered before it.
  void Reply(Result<CommandReply> reply);
  // The caller goes away.
  void Cancel();

 private:
  struct Item {
    std::optional<CommandOutcome> message;  // else the end
    Status end;
  };
  void Pump();
  void Delivered(Result<CommandReply> result);
  // Calls on_end once.
  void Finish(Status status);

  const Release release_;
  StreamCallbacks callbacks_;
  std::mutex mu_;
  std::deque<Item> queue_;
  bool replied_ = false;     // the reply went out: the queue may drain
  bool pumping_ = false;     // a thread is draining the queue
  bool in_release_ = false;  // a message is being routed
  bool finished_ = false;    // on_end ran
  bool cancelled_ = false;
  std::function<void()> on_cancel_;
};

}  // namespace cloudstate
