#include "function/grpc_entity_services.h"

#include <utility>

#include "function/event_sourced_session.h"
#include "function/grpc_status.h"
#include "function/value_entity_session.h"

namespace cloudstate::function {
namespace {

// Reads a message, lets the session handle it, writes its answer, and only then reads the next:
// at most one operation is pending, so the reactions never overlap and a stream holds at most one
// message each way. Deletes itself when gRPC is done with the call.
template <typename Session>
class SessionReactor final : public grpc::ServerBidiReactor<typename Session::In, typename Session::Out> {
 public:
  explicit SessionReactor(std::shared_ptr<const Registry> registry) : session_(std::move(registry)) {
    this->StartRead(&in_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      // The proxy half-closed (passivation, restart) or the call is gone.
      End(grpc::Status::OK);
      return;
    }
    typename Session::Step step = session_.Handle(in_);
    in_.Clear();
    if (step.out) {
      out_ = std::move(*step.out);
      finish_after_write_ = step.finish;
      finish_status_ = ToGrpcStatus(step.status);
      this->StartWrite(&out_);
      return;
    }
    if (step.finish) {
      End(ToGrpcStatus(step.status));
      return;
    }
    this->StartRead(&in_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      End(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the stream broke while writing"));
      return;
    }
    if (finish_after_write_) {
      End(finish_status_);
      return;
    }
    this->StartRead(&in_);
  }

  void OnDone() override { delete this; }

 private:
  void End(grpc::Status status) {
    if (finished_) return;
    finished_ = true;
    this->Finish(std::move(status));
  }

  Session session_;
  typename Session::In in_;
  typename Session::Out out_;
  bool finish_after_write_ = false;
  grpc::Status finish_status_;
  bool finished_ = false;
};

}  // namespace

grpc::ServerBidiReactor<::cloudstate::eventsourced::EventSourcedStreamIn,
                        ::cloudstate::eventsourced::EventSourcedStreamOut>*
EventSourcedService::handle(grpc::CallbackServerContext*) {
  return new SessionReactor<EventSourcedSession>(registry_);
}

grpc::ServerBidiReactor<::cloudstate::valueentity::ValueEntityStreamIn,
                        ::cloudstate::valueentity::ValueEntityStreamOut>*
ValueEntityService::handle(grpc::CallbackServerContext*) {
  return new SessionReactor<ValueEntitySession>(registry_);
}

}  // namespace cloudstate::function
