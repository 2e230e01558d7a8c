#include "function/crdt_adapter.h"

#include <exception>
#include <string>
#include <utility>

#include "crdtentity/crdt_handler.h"
#include "function/handler_outcome.h"

namespace cloudstate::function {

CrdtHandlerFactory MakeCrdtHandlerFactory(const Registry& registry, const google::protobuf::ServiceDescriptor& service,
                                          CrdtEntityFactory factory) {
  auto shared = std::make_shared<const CrdtEntityFactory>(std::move(factory));
  return [&registry, &service, shared](const std::string& entity_id)
             -> Result<std::unique_ptr<crdtentity::CrdtHandler>> {
    std::string label = "the factory of " + service.full_name() + " (entity \"" + entity_id + "\")";
    std::unique_ptr<CrdtEntity> entity;
    try {
      entity = (*shared)(entity_id);
    } catch (const std::exception& e) {
      return Status::Internal(label + " threw: " + e.what());
    } catch (...) {
      return Status::Internal(label + " threw");
    }
    if (!entity) return Status::Internal(label + " returned no entity");
    TargetCheck check = [&registry](const EntityCommand& command) { return registry.CheckTarget(ToTarget(command)); };
    return std::make_unique<crdtentity::CrdtHandler>(std::move(entity), entity_id, std::move(check));
  };
}

}  // namespace cloudstate::function
