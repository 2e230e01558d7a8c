#include "function/grpc_crdt_service.h"

#include <deque>
#include <utility>

#include "function/crdt_session.h"
#include "function/grpc_status.h"

namespace cloudstate::function {
namespace {

// Reads a message, lets the session handle it, writes every answer in order, and only then reads
// the next: at most one operation is pending, so the reactions never overlap. The session is
// driven only by what the proxy sends (a change elsewhere comes as a delta), so nothing needs to be
// written between reads. Deletes itself when gRPC is done with the call.
class CrdtReactor final : public grpc::ServerBidiReactor<CrdtSession::In, CrdtSession::Out> {
 public:
  explicit CrdtReactor(std::shared_ptr<const Registry> registry) : session_(std::move(registry)) { StartRead(&in_); }

  void OnReadDone(bool ok) override {
    if (!ok) {
      // The proxy half-closed (passivation, delete, restart) or the call is gone.
      End(grpc::Status::OK);
      return;
    }
    CrdtSession::Step step = session_.Handle(in_);
    in_.Clear();
    for (CrdtSession::Out& out : step.out) pending_.push_back(std::move(out));
    finish_after_writes_ = step.finish;
    finish_status_ = ToGrpcStatus(step.status);
    WriteNextOrRead();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      End(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the stream broke while writing"));
      return;
    }
    pending_.pop_front();
    WriteNextOrRead();
  }

  void OnDone() override { delete this; }

 private:
  void WriteNextOrRead() {
    if (!pending_.empty()) {
      StartWrite(&pending_.front());
      return;
    }
    if (finish_after_writes_) {
      End(finish_status_);
      return;
    }
    StartRead(&in_);
  }

  void End(grpc::Status status) {
    if (finished_) return;
    finished_ = true;
    Finish(std::move(status));
  }

  CrdtSession session_;
  CrdtSession::In in_;
  std::deque<CrdtSession::Out> pending_;  // front: being written
  bool finish_after_writes_ = false;
  grpc::Status finish_status_;
  bool finished_ = false;
};

}  // namespace

grpc::ServerBidiReactor<::cloudstate::crdt::CrdtStreamIn, ::cloudstate::crdt::CrdtStreamOut>* CrdtService::handle(
    grpc::CallbackServerContext*) {
  return new CrdtReactor(registry_);
}

}  // namespace cloudstate::function
