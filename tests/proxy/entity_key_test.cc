#include <doctest/doctest.h>

#include "descriptor_test_util.h"
#include "keyed.pb.h"
#include "proxy/descriptor_set.h"
#include "proxy/entity_key.h"

namespace pt = cloudstate::proxytest;
using cloudstate::proxy::ExtractEntityId;
using cloudstate::proxy::KeyFields;

namespace {

// Key extraction runs on the pool built from what a user function reports, not on the generated
// descriptors; build one the same way.
const google::protobuf::DescriptorPool& UserPool() {
  static auto pool = std::move(*cloudstate::proxy::BuildDescriptorPool(pt::SetOf(pt::StringKey::descriptor()->file())));
  return *pool;
}

const google::protobuf::Descriptor& Message(const std::string& name) {
  const auto* descriptor = UserPool().FindMessageTypeByName("cloudstate.proxytest." + name);
  REQUIRE(descriptor != nullptr);
  return *descriptor;
}

std::string IdOf(const std::string& type, const google::protobuf::Message& request) {
  auto id = ExtractEntityId(request.SerializeAsString(), KeyFields(Message(type)));
  REQUIRE_MESSAGE(id.ok(), id.status().ToString());
  return *id;
}

}  // namespace

TEST_CASE("a single string key is the id") {
  pt::StringKey request;
  request.set_id("user-1");
  request.set_other("ignored");
  CHECK(IdOf("StringKey", request) == "user-1");
  CHECK(KeyFields(Message("StringKey")).size() == 1);
}

TEST_CASE("several keys join with '-' in declaration order, not field-number order") {
  pt::TwoKeys request;
  request.set_a("x");
  request.set_b(3);
  request.set_note("n");
  CHECK(IdOf("TwoKeys", request) == "3-x");
}

TEST_CASE("the legacy key option counts too") {
  pt::LegacyKey request;
  request.set_id("old");
  CHECK(IdOf("LegacyKey", request) == "old");
}

TEST_CASE("unset keys take their defaults") {
  CHECK(IdOf("TwoKeys", pt::TwoKeys()) == "0-");
  CHECK(IdOf("ScalarKeys", pt::ScalarKeys()) == "false-0-RED-0-0");
}

TEST_CASE("scalar keys render as the reference does") {
  pt::ScalarKeys request;
  request.set_flag(true);
  request.set_small(-7);
  request.set_colour(pt::GREEN);
  request.set_big(18446744073709551615ull);
  request.set_negative(-2);
  CHECK(IdOf("ScalarKeys", request) == "true--7-GREEN-18446744073709551615--2");
}

TEST_CASE("the last occurrence of a key field wins, as when parsing") {
  pt::StringKey first, second;
  first.set_id("first");
  second.set_id("second");
  std::string bytes = first.SerializeAsString() + second.SerializeAsString();
  auto id = ExtractEntityId(bytes, KeyFields(Message("StringKey")));
  REQUIRE(id.ok());
  CHECK(*id == "second");
}

TEST_CASE("ids may hold any byte") {
  pt::StringKey request;
  request.set_id(std::string("a\0b-c/d", 7));
  CHECK(IdOf("StringKey", request) == std::string("a\0b-c/d", 7));
}

TEST_CASE("malformed bytes are InvalidArgument, never a crash") {
  auto keys = KeyFields(Message("StringKey"));
  for (const std::string& bad : {std::string("\x0a\x05" "ab", 4), std::string("\x0a"), std::string("\x00", 1),
                                 std::string("\x0b"), std::string("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"),
                                 std::string("\x08\x01")}) {
    auto id = ExtractEntityId(bad, keys);
    CHECK_FALSE(id.ok());
    CHECK(id.status().code() == cloudstate::StatusCode::kInvalidArgument);
  }
}
