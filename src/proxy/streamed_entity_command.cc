#include "proxy/streamed_entity_command.h"

#include <utility>

namespace cloudstate::proxy {

void StreamedEntityCommand::Start(Engine& engine, EntityCommand command, StreamCallbacks callbacks) {
  {
    std::lock_guard lock(mu_);
    if (cancelled_) return;
  }
  std::unique_ptr<CommandStream> stream = SendStreamed(engine, std::move(command), std::move(callbacks));
  {
    std::lock_guard lock(mu_);
    if (!cancelled_) {
      stream_ = std::move(stream);
      return;
    }
  }
  stream->Cancel();  // the client left while the command was being sent
}

void StreamedEntityCommand::Cancel() {
  std::unique_ptr<CommandStream> stream;
  {
    std::lock_guard lock(mu_);
    if (cancelled_) return;
    cancelled_ = true;
    stream = std::move(stream_);
  }
  if (stream) stream->Cancel();
}

}  // namespace cloudstate::proxy
