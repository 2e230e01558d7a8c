// What a service must look like to be served as a given kind (semantics.md §3.3): entities take
// no streams and need an entity key field in every method's input; actions take anything. Checked
// when a service is added, so a mistake shows at startup instead of as a proxy refusing discovery.
#pragma once

#include <google/protobuf/descriptor.h>

#include "cloudstate/status.h"

namespace cloudstate::function {

// True when the field carries cloudstate.entity_key (1080) or cloudstate.legacy_entity_key (50002).
bool IsEntityKeyField(const google::protobuf::FieldDescriptor& field);

// OK, or InvalidArgument listing the offending methods. `kind` is a label with its article, such
// as "an event-sourced entity". `server_streaming`: server-streaming methods are allowed (CRDTs).
Status CheckEntityService(const google::protobuf::ServiceDescriptor& service, const char* kind,
                          bool server_streaming = false);

}  // namespace cloudstate::function
