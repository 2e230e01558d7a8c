#include "cloudstate/command.h"

namespace cloudstate {

EntityCommand MakeCommand(std::string entity_type, std::string entity_id, std::string name,
                    const google::protobuf::Message& message, MetadataEntries metadata) {
  EntityCommand command;
  command.entity_type = std::move(entity_type);
  command.entity_id = std::move(entity_id);
  command.name = std::move(name);
  command.payload.PackFrom(message);
  command.metadata = std::move(metadata);
  return command;
}

}  // namespace cloudstate
