// The HTTP routes of the served services, built once from their google.api.http rules, and the
// matching of a request line to a route. Immutable after Build: safe to use from any thread.
//
// Precedence when several bindings match a path (documented in docs/http-json.md):
//   1. a template with the request's ":verb" beats reading the colon as part of the last segment;
//   2. a binding for the exact HTTP method beats a custom "*" binding;
//   3. more literal segments win;
//   4. then, left to right, the first segment where they differ: literal > "*" > "**";
//   5. then the binding declared first (services, then methods, then additional_bindings in order).
// Two bindings of the same HTTP method with the same shape (literals, wildcards and verb alike) are a
// conflict: the later one is reported and skipped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/descriptor.h>

#include "transcoding/field_path.h"
#include "transcoding/http_error.h"
#include "transcoding/path_template.h"

namespace cloudstate::transcoding {

enum class BodyKind {
  kNone,          // body: ""  — fields come from the path and the query string
  kWholeMessage,  // body: "*" — the JSON body is the request message
  kField,         // body: "f" — the JSON body is field f; the rest from the path and the query string
};

struct Binding {
  const google::protobuf::MethodDescriptor* method = nullptr;
  std::string http_method;  // "GET", "POST", a custom kind, or "*" for any method
  std::string path;         // the template as written, for messages
  PathTemplate path_template;
  std::vector<FieldPath> variable_fields;  // one per path_template.variables
  BodyKind body = BodyKind::kNone;
  const google::protobuf::FieldDescriptor* body_field = nullptr;           // for kField
  const google::protobuf::FieldDescriptor* response_body_field = nullptr;  // null: the whole reply
  size_t order = 0;  // declaration order, the last tie-breaker

  std::string Describe() const;  // "POST /cart/{user_id}/items/add (com.example.ShoppingCart.AddItem)"
};

struct Capture {
  const FieldPath* field = nullptr;
  std::string value;  // percent-decoded
};

struct RouteMatch {
  const Binding* binding = nullptr;
  std::vector<Capture> captures;
  std::string_view query;  // raw query string (after '?', before any '#'), a view into the target
};

struct RouteTableOptions {
  // A method without a google.api.http rule is served at POST /<service full name>/<method> with
  // body "*", as the original Cloudstate proxy did.
  bool default_post_bindings = true;
};

class RouteTable {
 public:
  // Every binding of every method of `services` (full names). An invalid binding or an unknown
  // service is reported in `errors` ("HTTP API Config: ...", naming the method) and left out; the
  // rest of the table is still built.
  static RouteTable Build(const google::protobuf::DescriptorPool& pool, const std::vector<std::string>& services,
                          const RouteTableOptions& options, std::vector<std::string>* errors);

  // `target` is the request-target of the request line: "/path?query". 404 when no binding matches
  // the path, 405 (with the allowed methods) when bindings match the path but not the method, 400
  // when a capture has a malformed percent-escape.
  HttpResult<RouteMatch> Match(std::string_view http_method, std::string_view target) const;

  const std::vector<Binding>& bindings() const { return bindings_; }

 private:
  std::vector<Binding> bindings_;
};

}  // namespace cloudstate::transcoding
