// A conversation with the user function directly, for the model cases: the kit sends protocol
// messages and checks each answer, then half-closes and expects the function to end its side.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "check.h"
#include "interceptor/relay.h"
#include "tck.h"

namespace cloudstate::tck {

template <typename In, typename Out>
class ModelStream {
 public:
  // `open` starts the call on the given context, e.g. [&](auto* c) { return stub->handle(c); }.
  template <typename Open>
  ModelStream(const Tck& tck, Open open) {
    tck.PrepareStream(context_);
    stream_ = open(&context_);
  }
  ~ModelStream() {
    if (finished_) return;
    context_.TryCancel();
    (void)stream_->Finish();
  }

  void Send(const In& message) {
    if (!stream_->Write(message)) {
      Fail("the function no longer accepts messages", Describe(message), "stream ended: " + Finish());
    }
  }

  Out Next(const std::string& wanted) {
    Out message;
    if (!stream_->Read(&message)) Fail("the function sent nothing more", wanted, "stream ended: " + Finish());
    ClearActionMetadata(message);
    return message;
  }

  void Expect(const Out& expected) {
    ExpectEqual(expected, Next(Describe(expected)), "unexpected message from the function");
  }

  // The kit half-closes; the function must end its side with OK and nothing more.
  void Close() {
    stream_->WritesDone();
    Out extra;
    if (stream_->Read(&extra)) Fail("the function sent more than expected", "end of stream", Describe(extra));
    std::string outcome = Finish();
    if (outcome != "OK") Fail("the function ended the stream with an error", "OK", outcome);
  }

 private:
  std::string Finish() {
    finished_ = true;
    return DescribeStatus(stream_->Finish());
  }

  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<In, Out>> stream_;
  bool finished_ = false;
};

}  // namespace cloudstate::tck
