// Fuzz target: random request lines, headers and bodies through route matching and request
// transcoding over the test API and the shopping cart. Input, split at the first three newlines:
//   <HTTP method> \n <request-target> \n <Content-Type> \n <body: the rest>
// Besides not crashing, it checks what must always hold: a match's captures belong to its binding,
// a transcoded request parses as the method's input type and is stable through JSON.
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "test_pool.h"
#include "transcoding/transcoder.h"

namespace {

using cloudstate::transcoding::Transcoder;

const Transcoder& FuzzTranscoder() {
  static const std::unique_ptr<Transcoder> transcoder = [] {
    std::vector<std::string> errors;
    return Transcoder::Create(cloudstate::transcodingtest::TestPool(),
                              {cloudstate::transcodingtest::kLibrary, cloudstate::transcodingtest::kShoppingCart},
                              {}, &errors);
  }();
  return *transcoder;
}

std::string_view NextLine(std::string_view& input) {
  size_t newline = input.find('\n');
  std::string_view line = input.substr(0, newline);
  input = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  return line;
}

void Require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

// The transcoded request renders as JSON that parses back, and a second round trip changes nothing
// (the first may: protobuf's FieldMask mapping rewrites odd paths).
std::unique_ptr<google::protobuf::Message> ThroughJson(const google::protobuf::Message& message) {
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json).ok()) return nullptr;  // e.g. an odd FieldMask
  std::unique_ptr<google::protobuf::Message> parsed(message.New());
  Require(google::protobuf::util::JsonStringToMessage(json, parsed.get()).ok(), "rendered JSON parses back");
  return parsed;
}

void CheckJsonRoundTrip(const google::protobuf::Descriptor& type, const std::string& bytes) {
  google::protobuf::DynamicMessageFactory factory;
  std::unique_ptr<google::protobuf::Message> message(factory.GetPrototype(&type)->New());
  Require(message->ParseFromString(bytes), "a transcoded request parses as its input type");
  auto once = ThroughJson(*message);
  if (once == nullptr) return;
  auto twice = ThroughJson(*once);
  Require(twice != nullptr, "JSON parsed from a rendering renders again");
  google::protobuf::util::DefaultFieldComparator comparator;
  comparator.set_treat_nan_as_equal(true);
  google::protobuf::util::MessageDifferencer differencer;
  differencer.set_field_comparator(&comparator);
  Require(differencer.Compare(*once, *twice), "a transcoded request is stable through JSON");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view method = NextLine(input);
  std::string_view target = NextLine(input);
  std::string_view content_type = NextLine(input);
  std::string_view body = input;

  const Transcoder& transcoder = FuzzTranscoder();
  auto match = transcoder.Match(method, target);
  if (!match.ok()) {
    int status = match.error().status;
    Require(status == 400 || status == 404 || status == 405, "a failed match is 400, 404 or 405");
    Require(status != 405 || !match.error().allowed_methods.empty(), "a 405 names the allowed methods");
    return 0;
  }
  const auto& binding = *match->binding;
  Require(match->captures.size() == binding.variable_fields.size(), "one capture per path variable");
  for (size_t i = 0; i < match->captures.size(); ++i) {
    Require(match->captures[i].field == &binding.variable_fields[i], "captures point into their binding");
  }
  auto request = transcoder.TranscodeRequest(*match, content_type, body);
  if (!request.ok()) {
    Require(request.error().status == 400, "a request that does not transcode is a 400");
    return 0;
  }
  CheckJsonRoundTrip(*binding.method->input_type(), *request);
  return 0;
}
