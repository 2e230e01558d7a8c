#include "entity_routing.h"

#include <sstream>
#include <vector>

namespace cloudstate::testing {
namespace {

std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, '/')) parts.push_back(part);
  return parts;
}

}  // namespace

EntityCommand ParseTarget(const std::string& spec, const google::protobuf::Any& payload, const std::string& source,
                    int64_t source_sequence) {
  auto parts = Split(spec);
  parts.resize(std::max<size_t>(parts.size(), 3));
  EntityCommand command;
  command.entity_type = parts[0];
  command.entity_id = parts[1];
  command.name = parts[2];
  command.payload = payload;
  command.metadata = {{"source", source}, {"source-sequence", std::to_string(source_sequence)}};
  return command;
}

void AddSideEffects(CommandContext& context, const google::protobuf::Any& payload, const std::string& source,
                    int64_t source_sequence) {
  for (const auto& [key, value] : context.CommandMetadata()) {
    if (key != "side-effect") continue;
    auto parts = Split(value);
    bool synchronous = parts.size() > 3 && parts[3] == "sync";
    context.SideEffect(ParseTarget(value, payload, source, source_sequence), synchronous);
  }
}

bool MaybeForward(CommandContext& context, const google::protobuf::Any& payload, const std::string& source,
                  int64_t source_sequence) {
  const MetadataEntries& metadata = context.CommandMetadata();
  for (auto it = metadata.begin(); it != metadata.end(); ++it) {
    if (it->first != "forward") continue;
    EntityCommand command = ParseTarget(it->second, payload, source, source_sequence);
    // Later "forward" entries travel on, so one command can describe a whole chain.
    for (auto next = it + 1; next != metadata.end(); ++next) {
      if (next->first == "forward") command.metadata.push_back(*next);
    }
    context.Forward(std::move(command));
    return true;
  }
  return false;
}

}  // namespace cloudstate::testing
