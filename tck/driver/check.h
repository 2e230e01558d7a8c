// How a case states what it expects: comparisons of protocol and client messages that stop the
// case at the first difference with the expected and the actual value, each printed on one line.
// Messages compare equal when their serialized bytes are equal, so Any payloads are compared byte
// for byte and a present-but-empty message field differs from an absent one.
#pragma once

#include <stdexcept>
#include <string>

#include <google/protobuf/message.h>

namespace cloudstate::tck {

// Thrown by the checks, caught by the runner, which prints it; never leaves the kit.
class CaseFailure : public std::runtime_error {
 public:
  CaseFailure(const std::string& what, std::string expected, std::string actual)
      : std::runtime_error(what), expected_(std::move(expected)), actual_(std::move(actual)) {}
  const std::string& expected() const { return expected_; }
  const std::string& actual() const { return actual_; }

 private:
  std::string expected_;
  std::string actual_;
};

[[noreturn]] void Fail(const std::string& what, const std::string& expected, const std::string& actual);

// One line: type name and text format, Any payloads expanded when their type is known.
std::string Describe(const google::protobuf::Message& message);

bool SameMessage(const google::protobuf::Message& a, const google::protobuf::Message& b);

void ExpectEqual(const google::protobuf::Message& expected, const google::protobuf::Message& actual,
                 const std::string& what);

void ExpectTrue(bool condition, const std::string& what, const std::string& expected, const std::string& actual);

// Action messages are compared without their metadata (the command's, the reply's, the forward's,
// each side effect's), as transports add their own entries.
void ClearActionMetadata(google::protobuf::Message& message);

}  // namespace cloudstate::tck
