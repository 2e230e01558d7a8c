// One Crdt.handle stream from the user function's side: checks the grammar
// (init (delta | command | stream_cancelled | delete)*), runs the entity's CrdtHandler on its copy
// of the value, and turns the handler's answers into replies, streamed messages and cancellation
// answers. One incoming message may cause several outgoing ones (a change notifies every open
// stream). Misuse by the caller ends the stream with CrdtStreamOut.failure.
//
// Unlike the other sessions this one includes the handler side: CrdtHandler's answers carry the
// protocol's state actions already, so a neutral layer between the two would only copy them.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cloudstate/crdt.pb.h"
#include "crdtentity/crdt_answer.h"
#include "function/registry.h"

namespace cloudstate::function {

class CrdtSession {
 public:
  using In = ::cloudstate::crdt::CrdtStreamIn;
  using Out = ::cloudstate::crdt::CrdtStreamOut;
  struct Step {
    std::vector<Out> out;  // sent in order before anything else happens on the call
    bool finish = false;  // end the call (after sending `out`) with `status`
    Status status;
  };

  explicit CrdtSession(std::shared_ptr<const Registry> registry);
  ~CrdtSession();

  Step Handle(const In& in);

 private:
  Step Init(const ::cloudstate::crdt::CrdtInit& init);
  Step OnDelta(const ::cloudstate::crdt::CrdtDelta& delta);
  Step OnDelete();
  Step OnCommand(const ::cloudstate::Command& command);
  Step OnCancelled(const ::cloudstate::StreamCancelled& cancelled);
  Step Fatal(int64_t command_id, Status status);
  void ToWire(crdtentity::CrdtAnswer answer, std::vector<Out>& out);
  std::string Label() const;

  std::shared_ptr<const Registry> registry_;
  const ServiceEntry* service_ = nullptr;
  std::string entity_id_;
  std::unique_ptr<crdtentity::CrdtHandler> handler_;
  // The method of every command whose caller may still get messages (streamed, not ended).
  std::map<int64_t, const google::protobuf::MethodDescriptor*> open_;
  bool initialised_ = false;
  bool deleted_ = false;
  bool broken_ = false;
};

}  // namespace cloudstate::function
