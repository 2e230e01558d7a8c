#include <doctest/doctest.h>

#include <algorithm>

#include "descriptor_test_util.h"
#include "keyed.pb.h"
#include "proxy/descriptor_set.h"

using cloudstate::proxy::BuildDescriptorPool;
using cloudstate::proxytest::SetOf;

namespace {
const google::protobuf::FileDescriptor* KeyedFile() { return cloudstate::proxytest::StringKey::descriptor()->file(); }
}  // namespace

TEST_CASE("a set with its imports builds, and the services are found by full name") {
  auto pool = BuildDescriptorPool(SetOf(KeyedFile()));
  REQUIRE_MESSAGE(pool.ok(), pool.status().ToString());
  CHECK((*pool)->FindServiceByName("cloudstate.proxytest.Keyed") != nullptr);
  CHECK((*pool)->FindMessageTypeByName("cloudstate.proxytest.TwoKeys") != nullptr);
}

TEST_CASE("files in reverse order (dependents first) still build") {
  auto set = SetOf(KeyedFile());
  std::reverse(set.mutable_file()->begin(), set.mutable_file()->end());
  REQUIRE(set.file(0).name() == KeyedFile()->name());
  auto pool = BuildDescriptorPool(set);
  REQUIRE_MESSAGE(pool.ok(), pool.status().ToString());
  CHECK((*pool)->FindServiceByName("cloudstate.proxytest.Keyed") != nullptr);
}

TEST_CASE("well-known types missing from the set come from the protobuf library") {
  auto set = SetOf(KeyedFile());
  google::protobuf::FileDescriptorSet without_wkt;
  for (const auto& file : set.file()) {
    if (file.name().rfind("google/protobuf/", 0) != 0) *without_wkt.add_file() = file;
  }
  auto pool = BuildDescriptorPool(without_wkt);
  REQUIRE_MESSAGE(pool.ok(), pool.status().ToString());
}

TEST_CASE("a missing dependency names the file and the path to it") {
  auto set = SetOf(KeyedFile());
  google::protobuf::FileDescriptorSet broken;
  for (const auto& file : set.file()) {
    if (file.name() != "cloudstate/entity_key.proto") *broken.add_file() = file;
  }
  auto pool = BuildDescriptorPool(broken);
  REQUIRE_FALSE(pool.ok());
  CHECK(pool.status().code() == cloudstate::StatusCode::kInvalidArgument);
  CHECK(pool.status().message().find("Descriptor dependency [cloudstate/entity_key.proto] not found") != std::string::npos);
  CHECK(pool.status().message().find(KeyedFile()->name()) != std::string::npos);
}

TEST_CASE("an import cycle is reported") {
  google::protobuf::FileDescriptorSet set;
  auto* a = set.add_file();
  a->set_name("a.proto");
  a->add_dependency("b.proto");
  auto* b = set.add_file();
  b->set_name("b.proto");
  b->add_dependency("a.proto");
  auto pool = BuildDescriptorPool(set);
  REQUIRE_FALSE(pool.ok());
  CHECK(pool.status().message().find("Circular dependency") != std::string::npos);
}

TEST_CASE("bytes that are not a FileDescriptorSet are refused") {
  auto pool = BuildDescriptorPool(std::string("\xff\xff\xff garbage", 12));
  REQUIRE_FALSE(pool.ok());
  CHECK(pool.status().message().find("FileDescriptorSet") != std::string::npos);
}

TEST_CASE("a descriptor that does not link (unknown type) is refused with the protobuf error") {
  google::protobuf::FileDescriptorSet set;
  auto* file = set.add_file();
  file->set_name("bad.proto");
  file->set_syntax("proto3");
  auto* message = file->add_message_type();
  message->set_name("M");
  auto* field = message->add_field();
  field->set_name("x");
  field->set_number(1);
  field->set_type_name(".nowhere.Missing");
  field->set_label(google::protobuf::FieldDescriptorProto::LABEL_OPTIONAL);
  auto pool = BuildDescriptorPool(set);
  REQUIRE_FALSE(pool.ok());
  CHECK(pool.status().message().find("nowhere.Missing") != std::string::npos);
}
