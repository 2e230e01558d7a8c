// RegisterCrdt: CRDT entity types on an engine, run in-process. Built into the CRDT entity library
// (it needs the generated protocol), not the core one.
#include <utility>

#include "cloudstate/crdt_entity.h"
#include "crdtentity/crdt_runtime.h"
#include "crdtentity/inprocess_port.h"
#include "engine/engine_extensions.h"

namespace cloudstate {

Status RegisterCrdt(Engine& engine, std::string entity_type, CrdtEntityFactory factory, EntityTypeOptions options) {
  if (!factory) return Status::InvalidArgument("entity type " + entity_type + " needs a factory");
  EngineExtensions& extensions = ExtensionsOf(engine);
  std::string label = "CRDT entity " + entity_type;
  return extensions.RegisterRuntime(
      std::move(entity_type), std::move(options),
      [&engine, &extensions, &factory, label](const std::string& persistence_id, TargetCheck check) {
        auto type = std::make_shared<crdtentity::CrdtTypeContext>();
        type->values = &engine.store().values();
        type->replicator = extensions.replicator();
        type->persistence_id = persistence_id;
        type->label = label;
        type->open_port = crdtentity::MakeInProcessPortFactory(std::move(factory), std::move(check));
        type->log = [&extensions](LogLevel level, const std::string& message) { extensions.Log(level, message); };
        return crdtentity::MakeCrdtRuntimeFactory(std::move(type));
      });
}

}  // namespace cloudstate
