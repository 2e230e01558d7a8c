// The EventSourced and ValueEntity protocol services over gRPC's callback API: one reactor per
// stream drives a session (event_sourced_session.h, value_entity_session.h). No thread per stream;
// handlers run inline on gRPC's callback threads. Wire side.
#pragma once

#include <memory>

#include "cloudstate/event_sourced.grpc.pb.h"
#include "cloudstate/value_entity.grpc.pb.h"
#include "function/registry.h"

namespace cloudstate::function {

class EventSourcedService final : public ::cloudstate::eventsourced::EventSourced::CallbackService {
 public:
  explicit EventSourcedService(std::shared_ptr<const Registry> registry) : registry_(std::move(registry)) {}
  grpc::ServerBidiReactor<::cloudstate::eventsourced::EventSourcedStreamIn,
                          ::cloudstate::eventsourced::EventSourcedStreamOut>*
  handle(grpc::CallbackServerContext* context) override;

 private:
  const std::shared_ptr<const Registry> registry_;
};

class ValueEntityService final : public ::cloudstate::valueentity::ValueEntity::CallbackService {
 public:
  explicit ValueEntityService(std::shared_ptr<const Registry> registry) : registry_(std::move(registry)) {}
  grpc::ServerBidiReactor<::cloudstate::valueentity::ValueEntityStreamIn,
                          ::cloudstate::valueentity::ValueEntityStreamOut>*
  handle(grpc::CallbackServerContext* context) override;

 private:
  const std::shared_ptr<const Registry> registry_;
};

}  // namespace cloudstate::function
