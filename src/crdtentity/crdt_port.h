// The user function of one CRDT entity as the runtime side sees it: the in-process handler of the
// engine, or a Crdt.handle stream to a remote user function in the sidecar. The runtime sends the
// protocol's inbound messages; answers come back through CrdtPortEvents, possibly before the call
// that caused them returns.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cloudstate/crdt.pb.h"
#include "crdtentity/crdt_answer.h"

namespace cloudstate::crdtentity {

struct CrdtPortEvents {
  std::function<void(CrdtAnswer answer)> on_answer;
  // The function failed or ended its side while it was still needed.
  std::function<void(Status status)> on_failure;
};

class CrdtPort {
 public:
  virtual ~CrdtPort() = default;
  // First, once: the current state (nullopt: no CRDT yet).
  virtual void Init(const std::optional<::cloudstate::crdt::CrdtDelta>& state) = 0;
  virtual void Delta(const ::cloudstate::crdt::CrdtDelta& delta) = 0;
  // Deleted elsewhere; the port closes after it.
  virtual void Delete() = 0;
  virtual void Command(const EntityCommand& command, int64_t command_id, bool streamed) = 0;
  virtual void Cancelled(int64_t command_id) = 0;
  // The runtime is done with the function; no event follows.
  virtual void Close() = 0;
};

// Opens the port of one entity.
using CrdtPortFactory =
    std::function<Result<std::unique_ptr<CrdtPort>>(const std::string& entity_id, CrdtPortEvents events)>;

}  // namespace cloudstate::crdtentity
