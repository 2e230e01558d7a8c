// MetadataEntries: ordered key/value pairs that travel with a command and its reply
// (gRPC headers in the sidecar; free-form in an embedding application).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace cloudstate {

using MetadataEntries = std::vector<std::pair<std::string, std::string>>;

}  // namespace cloudstate
