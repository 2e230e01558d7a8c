// HTTP/JSON for the user function's services, beside gRPC on the client port: every
// google.api.http binding of every served method (transcoding/transcoder.h), each request sent as
// the gRPC call it stands for — through the engine as the gRPC front's unary calls are (entity
// methods with their entity key; action methods with the request headers as metadata), and
// server-streaming methods as one stream whose messages go out as newline-delimited JSON or
// server-sent events: an action's streamed call to the user function (http_json_stream.h), an
// entity's streamed command (http_json_entity_stream.h). HEAD is answered as GET without the body.
// Every call is recorded in the method's request metrics. Built after discovery; Dispatch and
// Admit are safe to call from any thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>

#include "cloudstate/log.h"
#include "proxy/call_meter.h"
#include "proxy/grpc_front.h"
#include "proxy/http/http_service.h"
#include "transcoding/transcoder.h"

namespace cloudstate::proxy {

class HttpJsonFront final : public HttpService {
 public:
  // `front` (its engine, routes and metrics) and `pool` must outlive this object and every call it
  // started. Bindings the transcoder refuses are logged as warnings and not served.
  HttpJsonFront(GrpcFront& front, const google::protobuf::DescriptorPool& pool,
                const std::vector<ServedService>& services, const LogSink& log);
  ~HttpJsonFront() override;

  HttpDispatch Dispatch(const HttpRequest& request, const HttpRespond& respond) override;
  HttpDispatch Admit(const HttpRequest& head) const override;

  const transcoding::Transcoder& transcoder() const { return *transcoder_; }

 private:
  transcoding::HttpResult<transcoding::RouteMatch> Match(const HttpRequest& request) const;
  const GrpcFront::Route* FindRoute(const transcoding::HttpResult<transcoding::RouteMatch>& match,
                                    HttpDispatch* outcome) const;
  void CallUnary(const transcoding::Binding& binding, const GrpcFront::Route& route, std::string input,
                 const HttpRequest& request, const HttpRespond& respond, CallMeter meter);

  GrpcFront& front_;
  std::unique_ptr<transcoding::Transcoder> transcoder_;
  std::map<const google::protobuf::MethodDescriptor*, const GrpcFront::Route*> routes_;
};

}  // namespace cloudstate::proxy
