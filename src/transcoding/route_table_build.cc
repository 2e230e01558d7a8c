// RouteTable::Build: turns each method's google.api.http rule (and its additional_bindings) into
// validated bindings. A bad binding is reported and skipped; it never takes the others down.
#include <google/protobuf/descriptor.h>

#include "transcoding/annotations.h"
#include "transcoding/route_table.h"

namespace cloudstate::transcoding {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;

// The HTTP method and path template a rule's pattern names, or an error.
bool ReadPattern(const google::api::HttpRule& rule, std::string* http_method, std::string* path, std::string* error) {
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet: *http_method = "GET", *path = rule.get(); return true;
    case google::api::HttpRule::kPut: *http_method = "PUT", *path = rule.put(); return true;
    case google::api::HttpRule::kPost: *http_method = "POST", *path = rule.post(); return true;
    case google::api::HttpRule::kDelete: *http_method = "DELETE", *path = rule.delete_(); return true;
    case google::api::HttpRule::kPatch: *http_method = "PATCH", *path = rule.patch(); return true;
    case google::api::HttpRule::kCustom:
      if (rule.custom().kind().empty()) {
        *error = "custom pattern has an empty kind (use an HTTP method name, or \"*\" for any)";
        return false;
      }
      *http_method = rule.custom().kind(), *path = rule.custom().path();
      return true;
    case google::api::HttpRule::PATTERN_NOT_SET: break;
  }
  *error = "the rule sets no pattern (get, put, post, delete, patch or custom)";
  return false;
}

// Path variables must name singular scalar (or enum) fields: a URL segment carries one value.
bool CheckVariableField(const FieldPath& path, std::string* error) {
  const FieldDescriptor& leaf = *path.back();
  std::string name = "path variable '" + FieldPathName(path) + "'";
  if (leaf.is_map()) return *error = name + " is a map field; path variables must be singular scalars", false;
  if (leaf.is_repeated()) return *error = name + " is a repeated field; path variables must be singular", false;
  if (leaf.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    *error = name + " is a message field (" + leaf.message_type()->full_name() + "); path variables must be scalars";
    return false;
  }
  return true;
}

class BindingBuilder {
 public:
  BindingBuilder(std::vector<Binding>* bindings, std::vector<std::string>* errors)
      : bindings_(bindings), errors_(errors) {}

  void AddMethod(const MethodDescriptor& method, const RouteTableOptions& options) {
    std::optional<google::api::HttpRule> rule = ReadHttpRule(method);
    if (!rule) {
      if (!options.default_post_bindings) return;
      google::api::HttpRule implicit;
      implicit.set_post("/" + method.service()->full_name() + "/" + method.name());
      implicit.set_body("*");
      Add(method, implicit);
      return;
    }
    Add(method, *rule);
    for (const auto& additional : rule->additional_bindings()) {
      if (additional.additional_bindings_size() > 0) {
        Report(method, "", "additional_bindings may not have additional_bindings of their own; skipping it");
        continue;
      }
      Add(method, additional);
    }
  }

  void Report(const MethodDescriptor& method, const std::string& binding, const std::string& problem) {
    errors_->push_back("HTTP API Config: method " + method.full_name() + (binding.empty() ? "" : " binding " + binding) +
                       ": " + problem);
  }

 private:
  void Add(const MethodDescriptor& method, const google::api::HttpRule& rule) {
    Binding binding;
    binding.method = &method;
    std::string error;
    if (!ReadPattern(rule, &binding.http_method, &binding.path, &error)) return Report(method, "", error);
    const std::string name = binding.http_method + " " + binding.path;
    if (!rule.selector().empty() && rule.selector() != method.full_name()) {
      return Report(method, name, "selector '" + rule.selector() + "' must be empty or '" + method.full_name() + "'");
    }
    if (!ParsePathTemplate(binding.path, &binding.path_template, &error)) return Report(method, name, error);
    const auto& input = *method.input_type();
    for (const auto& variable : binding.path_template.variables) {
      FieldPath path;
      if (!ResolveFieldPath(input, variable.field_path, &path, &error) || !CheckVariableField(path, &error)) {
        return Report(method, name, error);
      }
      binding.variable_fields.push_back(std::move(path));
    }
    if (rule.body() == "*") {
      binding.body = BodyKind::kWholeMessage;
    } else if (!rule.body().empty()) {
      binding.body = BodyKind::kField;
      binding.body_field = input.FindFieldByName(rule.body());
      if (binding.body_field == nullptr) {
        return Report(method, name, "body field '" + rule.body() + "' does not exist on " + input.full_name());
      }
    }
    if (!rule.response_body().empty()) {
      const auto& output = *method.output_type();
      binding.response_body_field = output.FindFieldByName(rule.response_body());
      if (binding.response_body_field == nullptr) {
        return Report(method, name,
                      "response_body field '" + rule.response_body() + "' does not exist on " + output.full_name());
      }
    }
    for (const auto& existing : *bindings_) {
      if (existing.http_method == binding.http_method && existing.path_template.SameShape(binding.path_template)) {
        return Report(method, name, "conflicts with " + existing.Describe() + ", which was declared first and is kept");
      }
    }
    binding.order = bindings_->size();
    bindings_->push_back(std::move(binding));
  }

  std::vector<Binding>* bindings_;
  std::vector<std::string>* errors_;
};

}  // namespace

std::string Binding::Describe() const {
  return http_method + " " + path + " (" + method->full_name() + ")";
}

RouteTable RouteTable::Build(const google::protobuf::DescriptorPool& pool, const std::vector<std::string>& services,
                             const RouteTableOptions& options, std::vector<std::string>* errors) {
  RouteTable table;
  BindingBuilder builder(&table.bindings_, errors);
  for (const auto& name : services) {
    const auto* service = pool.FindServiceByName(name);
    if (service == nullptr) {
      errors->push_back("HTTP API Config: service " + name + " is not in the descriptor pool");
      continue;
    }
    for (int i = 0; i < service->method_count(); ++i) builder.AddMethod(*service->method(i), options);
  }
  return table;
}

}  // namespace cloudstate::transcoding
