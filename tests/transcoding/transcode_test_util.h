// Shared by the request and response tests: a transcoder over the test pool, and messages of the
// pool's types written as text protos.
#pragma once

#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/text_format.h>

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "test_pool.h"
#include "transcoding/transcoder.h"

namespace cloudstate::transcodingtest {

inline std::unique_ptr<transcoding::Transcoder> MakeTranscoder(const transcoding::TranscoderOptions& options = {}) {
  std::vector<std::string> errors;
  auto transcoder = transcoding::Transcoder::Create(TestPool(), {kLibrary, kShoppingCart}, options, &errors);
  REQUIRE(errors.empty());
  return transcoder;
}

// A message of `type` (full name) from its text form, as a pool-built dynamic message.
inline std::unique_ptr<google::protobuf::Message> FromText(google::protobuf::DynamicMessageFactory& factory,
                                                           const std::string& type, const std::string& text) {
  const auto* descriptor = TestPool().FindMessageTypeByName(type);
  REQUIRE_MESSAGE(descriptor != nullptr, type);
  std::unique_ptr<google::protobuf::Message> message(factory.GetPrototype(descriptor)->New());
  REQUIRE_MESSAGE(google::protobuf::TextFormat::ParseFromString(text, message.get()), text);
  return message;
}

}  // namespace cloudstate::transcodingtest
