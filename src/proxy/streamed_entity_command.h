// The streamed command behind one client's call of a server-streaming entity method, whichever
// front it came by (gRPC or HTTP/JSON): sent once through the engine (SendStreamed), and cancelled
// when the client goes away — which may happen at any time, also while the command is still being
// sent, so a cancel that comes before the stream exists is kept and applied once it does.
#pragma once

#include <memory>
#include <mutex>

#include "cloudstate/crdt_entity.h"
#include "cloudstate/engine.h"

namespace cloudstate::proxy {

// Safe to use from any thread. Destroying it cancels a stream that has not ended.
class StreamedEntityCommand {
 public:
  // Sends `command`; its messages and end go to `callbacks`, which may run on any thread, also
  // within this call and within Cancel(). After a Cancel(), sends nothing (no callback runs).
  void Start(Engine& engine, EntityCommand command, StreamCallbacks callbacks);
  // The client went away: the entity's cancel handler runs, and on_end comes with Unavailable
  // (unless the stream had ended). Call it without holding a lock the callbacks take. Idempotent.
  void Cancel();

 private:
  std::mutex mu_;
  bool cancelled_ = false;
  std::unique_ptr<CommandStream> stream_;
};

}  // namespace cloudstate::proxy
