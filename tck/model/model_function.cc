#include "model_function.h"

#include "action_model.h"
#include "crdt_model.h"
#include "eventing_model.h"
#include "eventsourced_model.h"
#include "valueentity_model.h"

namespace cloudstate::tck {

Status AddModelServices(FunctionServer& server) {
  Status status = AddEventSourcedModel(server);
  if (status.ok()) status = AddValueEntityModel(server);
  if (status.ok()) status = AddActionModel(server);
  if (status.ok()) status = AddCrdtModel(server);
  if (status.ok()) status = AddEventingModel(server);
  return status;
}

}  // namespace cloudstate::tck
