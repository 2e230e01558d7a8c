// What the proxy cases of every entity kind share: the unary Process call of a model service made
// as a client of the proxy, and checking one command and its answer at the interceptor.
#pragma once

#include <grpcpp/grpcpp.h>

#include "driver/check.h"
#include "driver/tck.h"

namespace cloudstate::tck {

// Calls Service.Process through the proxy.
template <typename Service, typename Request, typename Response>
grpc::Status CallProcess(Tck& t, const Request& request, Response& response) {
  auto stub = Service::NewStub(t.proxy());
  grpc::ClientContext context;
  t.Prepare(context);
  return stub->Process(&context, request, &response);
}

// Service.Process succeeds with `expected`.
template <typename Service, typename Request, typename Response>
void ExpectProcess(Tck& t, const Request& request, const Response& expected) {
  Response response;
  ExpectOk(CallProcess<Service>(t, request, response), "Process");
  ExpectEqual(expected, response, "reply to the client");
}

// The next message the proxy sends on `c` is `command`, and the function's next is `reply`.
inline void Exchange(ConnectionProbe& c, const google::protobuf::Message& command,
                     const google::protobuf::Message& reply) {
  c.ExpectIn(command);
  c.ExpectOut(reply);
}

}  // namespace cloudstate::tck
