// The engine command for one client request to a served method, whichever front it came by:
// actions see the request's headers; entity commands carry none (as in the reference) and get
// their entity id from the method's key fields.
#pragma once

#include <string>
#include <utility>

#include "cloudstate/command.h"
#include "cloudstate/status.h"
#include "proxy/entity_key.h"
#include "proxy/served_services.h"

namespace cloudstate::proxy {

// `headers()` returns the request's MetadataEntries; called for actions only, so entity calls
// never pay for copying headers.
template <typename HeadersFn>
Result<EntityCommand> ClientCommand(const ServedService& service, const ServedMethod& method, std::string request,
                                    HeadersFn&& headers) {
  EntityCommand command;
  command.entity_type = service.name;
  command.name = method.descriptor->name();
  command.payload.set_type_url(method.input_type_url);
  command.payload.set_value(std::move(request));
  if (service.kind == EntityKind::kAction) {
    command.metadata = std::forward<HeadersFn>(headers)();
    return command;
  }
  Result<std::string> id = ExtractEntityId(command.payload.value(), method.key_fields);
  if (!id.ok()) return id.status();
  command.entity_id = std::move(*id);
  return command;
}

}  // namespace cloudstate::proxy
