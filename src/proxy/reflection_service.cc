#include "proxy/reflection_service.h"

#include <set>
#include <string>

namespace cloudstate::proxy {
namespace {

namespace refl = grpc::reflection::v1alpha;

// One stream: each request read is answered before the next is read. Deletes itself when done.
class ReflectionStream final : public grpc::ServerBidiReactor<refl::ServerReflectionRequest, refl::ServerReflectionResponse> {
 public:
  explicit ReflectionStream(const ReflectionService& service) : service_(service) { StartRead(&request_); }

  void OnReadDone(bool ok) override {
    if (!ok) return Finish(grpc::Status::OK);  // the client closed its side (or cancelled)
    response_ = service_.index()->Answer(request_, sent_);
    StartWrite(&response_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) return Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the client went away"));
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  const ReflectionService& service_;
  refl::ServerReflectionRequest request_;
  refl::ServerReflectionResponse response_;
  std::set<std::string> sent_;  // files already sent on this stream
};

}  // namespace

void ReflectionService::Serve(std::shared_ptr<const ReflectionIndex> index) {
  std::lock_guard lock(mu_);
  index_ = std::move(index);
}

std::shared_ptr<const ReflectionIndex> ReflectionService::index() const {
  std::lock_guard lock(mu_);
  return index_;
}

grpc::ServerBidiReactor<refl::ServerReflectionRequest, refl::ServerReflectionResponse>*
ReflectionService::ServerReflectionInfo(grpc::CallbackServerContext*) {
  return new ReflectionStream(*this);
}

}  // namespace cloudstate::proxy
