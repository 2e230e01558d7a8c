#include "transcoding/transcoder.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver_util.h>

#include "transcoding/annotations.h"

namespace cloudstate::transcoding {

namespace util = google::protobuf::util;

Transcoder::Transcoder(const google::protobuf::DescriptorPool& pool, const TranscoderOptions& options)
    : pool_(pool),
      options_(options),
      resolver_(util::NewTypeResolverForDescriptorPool(kTypeUrlPrefix, &pool)),
      factory_(&pool) {}

std::unique_ptr<Transcoder> Transcoder::Create(const google::protobuf::DescriptorPool& pool,
                                               const std::vector<std::string>& services,
                                               const TranscoderOptions& options, std::vector<std::string>* errors) {
  std::unique_ptr<Transcoder> transcoder(new Transcoder(pool, options));
  transcoder->routes_ = RouteTable::Build(pool, services, options.routes, errors);
  for (const Binding& binding : transcoder->routes_.bindings()) {
    const auto* input = binding.method->input_type();
    auto [entry, added] = transcoder->key_fields_.try_emplace(input);
    if (!added) continue;
    for (int i = 0; i < input->field_count(); ++i) {
      if (IsEntityKeyField(*input->field(i))) entry->second.push_back(input->field(i));
    }
  }
  return transcoder;
}

std::unique_ptr<google::protobuf::Message> Transcoder::NewMessage(const google::protobuf::Descriptor& type) const {
  return std::unique_ptr<google::protobuf::Message>(factory_.GetPrototype(&type)->New());
}

HttpResult<std::string> Transcoder::JsonToBinary(const google::protobuf::Descriptor& type, std::string_view json) const {
  util::JsonParseOptions parse;
  parse.ignore_unknown_fields = options_.ignore_unknown_json_fields;
  std::string bytes;
  auto status = util::JsonToBinaryString(resolver_.get(), std::string(kTypeUrlPrefix) + "/" + type.full_name(),
                                         std::string(json), &bytes, parse);
  if (!status.ok()) {
    return BadRequest("the JSON body is not a valid " + type.full_name() + ": " + std::string(status.message()));
  }
  return bytes;
}

HttpResult<std::string> Transcoder::BinaryToJson(const google::protobuf::Descriptor& type, const std::string& bytes,
                                                 bool emit_defaults) const {
  util::JsonPrintOptions print;
  print.always_print_primitive_fields = emit_defaults;
  print.preserve_proto_field_names = options_.use_proto_field_names;
  std::string json;
  auto status = util::BinaryToJsonString(resolver_.get(), std::string(kTypeUrlPrefix) + "/" + type.full_name(), bytes,
                                         &json, print);
  if (!status.ok()) {
    return HttpError{500, "the reply cannot be rendered as JSON " + type.full_name() + ": " +
                              std::string(status.message()),
                     {}};
  }
  return json;
}

}  // namespace cloudstate::transcoding
