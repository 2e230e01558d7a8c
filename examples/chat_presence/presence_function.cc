#include "presence_function.h"

#include "presence.pb.h"
#include "presence_entity.h"

namespace chat_presence {

cloudstate::Status AddPresence(cloudstate::FunctionServer& server) {
  cloudstate::CrdtOptions options;
  options.persistence_id = kPersistenceId;
  // protoc's C++ output has no class for a service; its descriptor hangs off the file.
  const auto* service = com::example::chat::presence::User::descriptor()->file()->FindServiceByName("Presence");
  return server.AddCrdt(service, NewPresence, options);
}

}  // namespace chat_presence
