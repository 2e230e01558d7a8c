// HTTP/JSON transcoding of the served services: what the HTTP front calls for each request.
//   auto transcoder = Transcoder::Create(pool, services, options, &errors);   // once, after discovery
//   auto match = transcoder->Match("POST", "/cart/u1/items/add?x=1");         // 404 / 405 / binding
//   auto request = transcoder->TranscodeRequest(*match, content_type, body);  // input message bytes
//   ... call match->binding->method with *request ...
//   auto reply = transcoder->TranscodeResponse(*match->binding, reply_bytes);  // JSON or HttpBody
// Pure: no I/O. Immutable after Create and safe to call from any thread. The pool must outlive it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/type_resolver.h>

#include "transcoding/http_error.h"
#include "transcoding/route_table.h"

namespace cloudstate::transcoding {

struct TranscoderOptions {
  RouteTableOptions routes;
  // A query parameter that names no field: 400 (false, as the original Cloudstate proxy), or
  // ignored (true, as grpc-gateway does).
  bool ignore_unknown_query_parameters = false;
  // A JSON body member that names no field: 400 unless true.
  bool ignore_unknown_json_fields = false;
  // 400 when a string field marked as the entity key is empty after transcoding (e.g. "/cart//items").
  bool reject_empty_entity_key = true;
  // Render fields that hold their default value ("", 0, false, [], {}), as the original Cloudstate
  // proxy did; unset message fields are left out either way.
  bool emit_default_values = true;
  // Render proto field names ("product_id") instead of JSON names ("productId").
  bool use_proto_field_names = false;
};

struct HttpReplyBody {
  std::string content_type;  // "application/json", or an HttpBody's own (may be empty)
  std::string body;
};

class Transcoder {
 public:
  // Build errors (invalid or conflicting bindings, unknown services) go to `errors`; the bindings
  // that are valid are served regardless.
  static std::unique_ptr<Transcoder> Create(const google::protobuf::DescriptorPool& pool,
                                            const std::vector<std::string>& services, const TranscoderOptions& options,
                                            std::vector<std::string>* errors);

  HttpResult<RouteMatch> Match(std::string_view http_method, std::string_view target) const {
    return routes_.Match(http_method, target);
  }

  // The serialized input message of the matched method, from the path captures, the query string
  // and the body as the binding maps them. 400 with the reason when the request does not fit.
  HttpResult<std::string> TranscodeRequest(const RouteMatch& match, std::string_view content_type,
                                           std::string_view body) const;

  // The reply of the method (serialized output message) as the HTTP response body. 500 when the
  // bytes are not a valid output message.
  HttpResult<HttpReplyBody> TranscodeResponse(const Binding& binding, std::string_view reply) const;

  const RouteTable& routes() const { return routes_; }
  const TranscoderOptions& options() const { return options_; }

 private:
  Transcoder(const google::protobuf::DescriptorPool& pool, const TranscoderOptions& options);

  std::unique_ptr<google::protobuf::Message> NewMessage(const google::protobuf::Descriptor& type) const;
  std::optional<HttpError> ApplyQuery(google::protobuf::Message& request, const Binding& binding, std::string_view query) const;
  std::optional<HttpError> ApplyBodyField(google::protobuf::Message& request, const Binding& binding, std::string_view content_type,
                           std::string_view body) const;
  // JSON text of one message type to its bytes; 400 naming the type when it does not parse.
  HttpResult<std::string> JsonToBinary(const google::protobuf::Descriptor& type, std::string_view json) const;
  HttpResult<std::string> BinaryToJson(const google::protobuf::Descriptor& type, const std::string& bytes,
                                       bool emit_defaults) const;
  HttpResult<HttpReplyBody> RenderField(const google::protobuf::Message& reply,
                                        const google::protobuf::FieldDescriptor& field) const;

  const google::protobuf::DescriptorPool& pool_;
  TranscoderOptions options_;
  RouteTable routes_;
  std::unique_ptr<google::protobuf::util::TypeResolver> resolver_;
  mutable google::protobuf::DynamicMessageFactory factory_;  // GetPrototype is thread-safe
  std::map<const google::protobuf::Descriptor*, std::vector<const google::protobuf::FieldDescriptor*>> key_fields_;
};

inline constexpr char kTypeUrlPrefix[] = "type.googleapis.com";
inline constexpr char kHttpBodyType[] = "google.api.HttpBody";

}  // namespace cloudstate::transcoding
