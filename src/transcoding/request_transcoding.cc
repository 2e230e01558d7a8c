// Transcoder::TranscodeRequest: path captures, query string and body into the method's input
// message. Order: the body (body "*"), or the query string and then the body field (body "f"), or the
// query string alone (no body); path captures last, so the URL always wins.
#include <google/protobuf/reflection.h>

#include <optional>
#include <set>

#include "google/api/httpbody.pb.h"
#include "transcoding/field_value.h"
#include "transcoding/json_scan.h"
#include "transcoding/transcoder.h"
#include "transcoding/url_decoding.h"

namespace cloudstate::transcoding {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Bodies parsed as JSON must say so, or say nothing: a browser's "simple" text/plain or form POST
// must not reach a JSON API without a CORS preflight.
std::optional<HttpError> CheckJsonContentType(std::string_view content_type) {
  std::string media(content_type.substr(0, content_type.find(';')));
  media.erase(0, media.find_first_not_of(" \t"));
  media.erase(media.find_last_not_of(" \t") + 1);
  for (char& c : media) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  bool json = media.empty() || media == "application/json" ||
              (media.size() > 5 && media.compare(media.size() - 5, 5, "+json") == 0);
  if (json) return std::nullopt;
  return BadRequest("Content-Type '" + std::string(content_type) + "' is not JSON; send application/json");
}

// "labels[key]" (grpc-gateway's form for a map entry): the field name and the key; the key runs
// from the first '[' to the closing ']' at the end, so it may hold dots and brackets itself.
struct ParameterName {
  std::string_view field;
  std::optional<std::string_view> map_key;
};

ParameterName SplitMapKey(std::string_view name) {
  size_t open = name.find('[');
  if (open == std::string_view::npos || name.back() != ']') return {name, std::nullopt};
  return {name.substr(0, open), name.substr(open + 1, name.size() - open - 2)};
}

bool IsHttpBody(const google::protobuf::Descriptor* type) { return type != nullptr && type->full_name() == kHttpBodyType; }

// Raw body and content type into an HttpBody message (the method's input or its body field).
std::optional<HttpError> FillHttpBody(Message& target, std::string_view content_type, std::string_view body) {
  if (!IsValidUtf8(content_type)) return BadRequest("the Content-Type header is not valid UTF-8");
  google::api::HttpBody http_body;
  http_body.set_content_type(std::string(content_type));
  http_body.set_data(std::string(body));
  target.ParseFromString(http_body.SerializeAsString());  // `target` may be a dynamic HttpBody
  return std::nullopt;
}

}  // namespace

HttpResult<std::string> Transcoder::TranscodeRequest(const RouteMatch& match, std::string_view content_type,
                                                     std::string_view body) const {
  const Binding& binding = *match.binding;
  const auto& input = *binding.method->input_type();
  std::unique_ptr<Message> request = NewMessage(input);

  if (binding.body == BodyKind::kWholeMessage) {
    if (IsHttpBody(&input)) {
      if (auto error = FillHttpBody(*request, content_type, body)) return *error;
    } else if (!IsBlank(body)) {
      if (auto error = CheckJsonContentType(content_type)) return *error;
      auto bytes = JsonToBinary(input, body);
      if (!bytes.ok()) return bytes.error();
      if (!request->ParseFromString(*bytes)) return BadRequest("the JSON body does not fit " + input.full_name());
    }
  } else {
    if (auto error = ApplyQuery(*request, binding, match.query)) return *error;
    if (binding.body == BodyKind::kField) {
      if (auto error = ApplyBodyField(*request, binding, content_type, body)) return *error;
    }
  }

  for (const Capture& capture : match.captures) {
    std::string problem = SetFieldFromText(*request, *capture.field, capture.value);
    if (!problem.empty()) return BadRequest("path variable '" + FieldPathName(*capture.field) + "': " + problem);
  }

  auto keys = key_fields_.find(&input);
  if (options_.reject_empty_entity_key && keys != key_fields_.end()) {
    for (const FieldDescriptor* key : keys->second) {
      if (key->cpp_type() == FieldDescriptor::CPPTYPE_STRING && !key->is_repeated() &&
          request->GetReflection()->GetString(*request, key).empty()) {
        return BadRequest("the entity key field '" + key->name() + "' of " + input.full_name() + " is empty");
      }
    }
  }
  return request->SerializeAsString();
}

std::optional<HttpError> Transcoder::ApplyQuery(Message& request, const Binding& binding, std::string_view query) const {
  auto parameters = ParseQueryString(query);
  if (!parameters.ok()) return parameters.error();
  const auto& input = *binding.method->input_type();
  std::set<std::string> singular_seen;  // fields and map entries ("labels[k]") set so far
  for (const QueryParameter& parameter : *parameters) {
    FieldPath path;
    std::string problem;
    ParameterName name = SplitMapKey(parameter.name);
    if (!ResolveFieldPath(input, SplitDottedName(name.field), &path, &problem)) {
      if (options_.ignore_unknown_query_parameters) continue;
      return BadRequest("query parameter '" + parameter.name + "': " + problem);
    }
    if (binding.body_field != nullptr && path.front() == binding.body_field) {
      return BadRequest("query parameter '" + parameter.name + "' names the body field '" + binding.body_field->name() +
                        "'; send it in the body");
    }
    const FieldDescriptor& leaf = *path.back();
    if (name.map_key) {
      if (!singular_seen.insert(FieldPathName(path) + "[" + std::string(*name.map_key) + "]").second) {
        return BadRequest("query parameter '" + parameter.name + "' is given more than once");
      }
      problem = AddMapEntryFromText(request, path, *name.map_key, parameter.value);
      if (!problem.empty()) return BadRequest("query parameter '" + parameter.name + "': " + problem);
      continue;
    }
    if (leaf.is_map()) {
      return BadRequest("query parameter '" + parameter.name + "' names a map field; set its entries as '" +
                        parameter.name + "[<key>]=<value>'");
    }
    if (!CanSetFromText(leaf)) {
      return BadRequest("query parameter '" + parameter.name +
                        "' names a message field; set its scalar fields by their dotted names instead");
    }
    if (!leaf.is_repeated() && !singular_seen.insert(FieldPathName(path)).second) {
      return BadRequest("query parameter '" + parameter.name + "' is given more than once but field '" +
                        FieldPathName(path) + "' is not repeated");
    }
    problem = SetFieldFromText(request, path, parameter.value);
    if (!problem.empty()) return BadRequest("query parameter '" + parameter.name + "': " + problem);
  }
  return std::nullopt;
}

std::optional<HttpError> Transcoder::ApplyBodyField(Message& request, const Binding& binding,
                                                    std::string_view content_type, std::string_view body) const {
  const FieldDescriptor& field = *binding.body_field;
  const auto* reflection = request.GetReflection();
  const bool singular_message = field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !field.is_repeated();
  if (singular_message && IsHttpBody(field.message_type())) {
    return FillHttpBody(*reflection->MutableMessage(&request, &field, &factory_), content_type, body);
  }
  if (IsBlank(body)) return std::nullopt;
  if (auto error = CheckJsonContentType(content_type)) return error;
  if (singular_message) {
    auto bytes = JsonToBinary(*field.message_type(), body);
    if (!bytes.ok()) return bytes.error();
    if (!reflection->MutableMessage(&request, &field, &factory_)->MergeFromString(*bytes)) {
      return BadRequest("the JSON body does not fit " + field.message_type()->full_name());
    }
    return std::nullopt;
  }
  // Scalars, repeated fields and maps: parsed as the one member of an input-type object. The body
  // must be exactly one JSON value, so it cannot close the wrapper and set other fields.
  if (!IsSingleJsonValue(body)) return BadRequest("the body is not a single well-formed JSON value");
  std::string wrapped = "{" + JsonQuote(field.json_name()) + ":" + std::string(body) + "}";
  auto bytes = JsonToBinary(*binding.method->input_type(), wrapped);
  if (!bytes.ok()) {
    return BadRequest("the JSON body is not a valid value for field '" + field.name() + "': " + bytes.error().message);
  }
  if (!request.MergeFromString(*bytes)) return BadRequest("the JSON body does not fit field '" + field.name() + "'");
  return std::nullopt;
}

}  // namespace cloudstate::transcoding
