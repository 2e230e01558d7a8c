#include "proxy/http_json_front.h"

#include <algorithm>

#include "proxy/client_command.h"
#include "proxy/grpc_status.h"
#include "proxy/http_json_entity_stream.h"
#include "proxy/http_json_mapping.h"
#include "proxy/http_json_stream.h"

namespace cloudstate::proxy {
namespace {

std::vector<std::string> ServiceNames(const std::vector<ServedService>& services) {
  std::vector<std::string> names;
  for (const auto& service : services) names.push_back(service.name);
  return names;
}

// Wherever GET is allowed, so is HEAD (answered as the GET without its body).
std::vector<std::string> WithHead(std::vector<std::string> allowed) {
  bool get = std::find(allowed.begin(), allowed.end(), "GET") != allowed.end();
  if (get && std::find(allowed.begin(), allowed.end(), "HEAD") == allowed.end()) {
    allowed.insert(std::upper_bound(allowed.begin(), allowed.end(), std::string("HEAD")), "HEAD");
  }
  return allowed;
}

}  // namespace

HttpJsonFront::HttpJsonFront(GrpcFront& front, const google::protobuf::DescriptorPool& pool,
                             const std::vector<ServedService>& services, const LogSink& log)
    : front_(front) {
  std::vector<std::string> errors;
  transcoder_ = transcoding::Transcoder::Create(pool, ServiceNames(services), {}, &errors);
  for (const auto& error : errors) log(LogLevel::kWarning, error + " (not served over HTTP)");
  for (const auto& binding : transcoder_->routes().bindings()) {
    const auto* method = binding.method;
    const GrpcFront::Route* route = front_.Find("/" + method->service()->full_name() + "/" + method->name());
    if (route != nullptr) routes_.emplace(method, route);
  }
}

HttpJsonFront::~HttpJsonFront() = default;

// HEAD is answered as the GET it stands for (the server drops the body), unless no GET binding
// matches and one takes HEAD itself (a custom kind, or "*").
transcoding::HttpResult<transcoding::RouteMatch> HttpJsonFront::Match(const HttpRequest& request) const {
  if (request.method != "HEAD") return transcoder_->Match(request.method, request.target);
  auto as_get = transcoder_->Match("GET", request.target);
  if (as_get.ok() || (as_get.error().status != 404 && as_get.error().status != 405)) return as_get;
  return transcoder_->Match("HEAD", request.target);
}

// The route a request goes to; otherwise what Dispatch answers: nothing (another service of the
// port may serve the path), the methods the path takes, or kTaken for a request the transcoder
// refuses (Dispatch answers its error).
const GrpcFront::Route* HttpJsonFront::FindRoute(const transcoding::HttpResult<transcoding::RouteMatch>& match,
                                                 HttpDispatch* outcome) const {
  if (!match.ok()) {
    const transcoding::HttpError& error = match.error();
    // Unknown paths and methods are answered once every service of the port had its say.
    if (error.status == 404) *outcome = {};
    else if (error.status == 405) *outcome = {HttpDispatch::kWrongMethod, WithHead(error.allowed_methods)};
    else *outcome = {HttpDispatch::kTaken, {}};
    return nullptr;
  }
  auto route = routes_.find(match->binding->method);
  if (route == routes_.end()) {  // a method the gRPC front does not serve
    *outcome = {};
    return nullptr;
  }
  *outcome = {HttpDispatch::kTaken, {}};
  return route->second;
}

HttpDispatch HttpJsonFront::Admit(const HttpRequest& head) const {
  HttpDispatch outcome;
  FindRoute(Match(head), &outcome);
  return outcome;
}

HttpDispatch HttpJsonFront::Dispatch(const HttpRequest& request, const HttpRespond& respond) {
  auto match = Match(request);
  HttpDispatch outcome;
  const GrpcFront::Route* found = FindRoute(match, &outcome);
  if (found == nullptr) {
    if (outcome.outcome == HttpDispatch::kTaken) respond(TranscodingErrorResponse(match.error()));
    return outcome;
  }
  const transcoding::Binding& binding = *match->binding;
  const GrpcFront::Route& route = *found;
  CallMeter meter(route.metrics);

  auto refuse = [&](const grpc::Status& status, HttpResponse response) {
    meter.End(status);
    respond(std::move(response));
    return HttpDispatch{HttpDispatch::kTaken, {}};
  };
  const auto* content_type = request.Header("content-type");
  auto input = transcoder_->TranscodeRequest(*match, content_type ? *content_type : "", request.body);
  if (!input.ok()) return refuse(TranscodingErrorStatus(input.error()), TranscodingErrorResponse(input.error()));

  const auto& method = *binding.method;
  if (method.client_streaming()) {
    grpc::Status unserved(grpc::StatusCode::UNIMPLEMENTED,
                          method.full_name() + " streams requests; it is served over gRPC only");
    return refuse(unserved, FailedCallResponse(unserved));
  }
  if (method.server_streaming()) {
    const auto* accept = request.Header("accept");
    auto format = transcoding::ChooseStreamFormat(binding, accept ? *accept : "");
    if (route.service->kind == EntityKind::kAction) {
      StartHttpStreamedCall(HttpStreamedCallParts{*transcoder_, binding, format, *route.service, *route.method,
                                                  front_.extensions(), front_.bridges()},
                            std::move(*input), request, respond, std::move(meter));
    } else {
      StartHttpStreamedEntityCall(
          HttpStreamedEntityCallParts{*transcoder_, binding, format, *route.service, *route.method, front_.engine()},
          std::move(*input), request, respond, std::move(meter));
    }
    return {HttpDispatch::kTaken, {}};
  }
  CallUnary(binding, route, std::move(*input), request, respond, std::move(meter));
  return {HttpDispatch::kTaken, {}};
}

void HttpJsonFront::CallUnary(const transcoding::Binding& binding, const GrpcFront::Route& route, std::string input,
                              const HttpRequest& request, const HttpRespond& respond, CallMeter call_meter) {
  auto meter = std::make_shared<CallMeter>(std::move(call_meter));
  // Entity commands carry no headers, as over gRPC.
  Result<EntityCommand> command = ClientCommand(*route.service, *route.method, std::move(input),
                                                [&request] { return RequestMetadata(request); });
  if (!command.ok()) {
    meter->End(ToGrpcStatus(command.status()));
    respond(FailedCallResponse(command.status()));
    return;
  }
  const transcoding::Transcoder& transcoder = *transcoder_;
  front_.engine().Send(std::move(*command), [&transcoder, &binding, respond, meter](Result<CommandReply> reply) {
    if (!reply.ok()) {
      meter->End(ToGrpcStatus(reply.status()));
      return respond(FailedCallResponse(reply.status()));
    }
    if (!reply->payload) {
      // A unary call needs a reply; an entity that chose not to send one leaves none.
      grpc::Status none(grpc::StatusCode::UNKNOWN, "the entity sent no reply");
      meter->End(none);
      return respond(FailedCallResponse(none));
    }
    auto body = transcoder.TranscodeResponse(binding, reply->payload->value());
    if (!body.ok()) {
      meter->End(TranscodingErrorStatus(body.error()));
      return respond(TranscodingErrorResponse(body.error()));
    }
    HttpResponse response;
    if (!body->content_type.empty()) response.headers.emplace_back("Content-Type", body->content_type);
    AddReplyHeaders(reply->metadata, response);
    response.body = std::move(body->body);
    meter->End(grpc::Status::OK);
    respond(std::move(response));
  });
}

}  // namespace cloudstate::proxy
