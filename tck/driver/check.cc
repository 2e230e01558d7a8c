#include "check.h"

#include <google/protobuf/text_format.h>
#include <google/protobuf/wrappers.pb.h>

#include "cloudstate/action.pb.h"

namespace cloudstate::tck {

void Fail(const std::string& what, const std::string& expected, const std::string& actual) {
  throw CaseFailure(what, expected, actual);
}

namespace {

// Cloudstate's primitive payloads (p.cloudstate.io/string, /int64, ...) put the value in field 1,
// exactly as the well-known wrapper types do: print them as those instead of warning that the
// type is unknown.
class PrimitiveAnyFinder final : public google::protobuf::TextFormat::Finder {
 public:
  const google::protobuf::Descriptor* FindAnyType(const google::protobuf::Message& message, const std::string& prefix,
                                                  const std::string& name) const override {
    if (prefix != "p.cloudstate.io/") return Finder::FindAnyType(message, prefix, name);
    if (name == "string") return google::protobuf::StringValue::descriptor();
    if (name == "bytes") return google::protobuf::BytesValue::descriptor();
    if (name == "bool") return google::protobuf::BoolValue::descriptor();
    if (name == "int32") return google::protobuf::Int32Value::descriptor();
    if (name == "int64") return google::protobuf::Int64Value::descriptor();
    if (name == "float") return google::protobuf::FloatValue::descriptor();
    if (name == "double") return google::protobuf::DoubleValue::descriptor();
    return nullptr;
  }
};

std::string Print(const google::protobuf::Message& message, bool expand_any) {
  static const PrimitiveAnyFinder kPrimitives;
  google::protobuf::TextFormat::Printer printer;
  printer.SetSingleLineMode(true);
  printer.SetExpandAny(expand_any);
  printer.SetFinder(&kPrimitives);
  std::string text;
  printer.PrintToString(message, &text);
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return message.GetTypeName() + " { " + text + (text.empty() ? "}" : " }");
}

}  // namespace

std::string Describe(const google::protobuf::Message& message) { return Print(message, true); }

bool SameMessage(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  return a.GetDescriptor()->full_name() == b.GetDescriptor()->full_name() &&
         a.SerializePartialAsString() == b.SerializePartialAsString();
}

void ExpectEqual(const google::protobuf::Message& expected, const google::protobuf::Message& actual,
                 const std::string& what) {
  if (SameMessage(expected, actual)) return;
  std::string want = Describe(expected);
  std::string got = Describe(actual);
  if (want == got) {  // differ only in bytes the expanded form hides (e.g. a non-canonical payload)
    want = Print(expected, false);
    got = Print(actual, false);
  }
  Fail(what, want, got);
}

void ExpectTrue(bool condition, const std::string& what, const std::string& expected, const std::string& actual) {
  if (!condition) Fail(what, expected, actual);
}

void ClearActionMetadata(google::protobuf::Message& message) {
  if (auto* command = dynamic_cast<::cloudstate::action::ActionCommand*>(&message)) {
    command->clear_metadata();
    return;
  }
  auto* response = dynamic_cast<::cloudstate::action::ActionResponse*>(&message);
  if (response == nullptr) return;
  if (response->has_reply()) response->mutable_reply()->clear_metadata();
  if (response->has_forward()) response->mutable_forward()->clear_metadata();
  for (auto& effect : *response->mutable_side_effects()) effect.clear_metadata();
}

}  // namespace cloudstate::tck
