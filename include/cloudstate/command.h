// A command addressed to one entity, and the reply it gets. Commands are how an application talks
// to its entities, and how entities talk to each other (forwards and side effects).
#pragma once

#include <optional>
#include <string>

#include <google/protobuf/any.pb.h>
#include <google/protobuf/message.h>

#include "cloudstate/metadata.h"
#include "cloudstate/status.h"

namespace cloudstate {

struct EntityCommand {
  std::string entity_type;  // a registered entity type
  std::string entity_id;
  std::string name;  // the command's name, e.g. "AddItem"
  google::protobuf::Any payload;
  MetadataEntries metadata;
};

// Builds a command whose payload packs `message`.
EntityCommand MakeCommand(std::string entity_type, std::string entity_id, std::string name,
                    const google::protobuf::Message& message, MetadataEntries metadata = {});

struct CommandReply {
  std::optional<google::protobuf::Any> payload;  // empty when the entity chose not to reply
  MetadataEntries metadata;
};

// Unpacks an Any into T; InvalidArgument when the type does not match.
template <typename T>
Result<T> Unpack(const google::protobuf::Any& any) {
  T message;
  if (!any.UnpackTo(&message)) {
    return Status::InvalidArgument("expected " + std::string(T::descriptor()->full_name()) + " but got " +
                                   any.type_url());
  }
  return message;
}

}  // namespace cloudstate
