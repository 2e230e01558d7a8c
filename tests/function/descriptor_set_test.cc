// The discovery descriptor set builder: every transitive import once, dependencies first.
#include <doctest/doctest.h>

#include <set>

#include "fntest.pb.h"
#include "fntest_bad.pb.h"
#include "function/descriptor_set.h"

namespace {

using cloudstate::function::BuildDescriptorSet;

TEST_CASE("imports come before their importers, each file once") {
  const google::protobuf::FileDescriptor* tests = fntest::Request::descriptor()->file();
  const google::protobuf::FileDescriptor* bad = fntest::bad::Keyed::descriptor()->file();
  google::protobuf::FileDescriptorSet set = BuildDescriptorSet({tests, bad, tests});

  std::set<std::string> seen;
  for (const auto& file : set.file()) {
    CHECK(seen.insert(file.name()).second);
    for (const std::string& dependency : file.dependency()) CHECK(seen.count(dependency) == 1);
  }
  CHECK(set.file(set.file_size() - 1).name() == "fntest_bad.proto");
  CHECK(seen.count("fntest_common.proto") == 1);
  CHECK(seen.count("google/protobuf/descriptor.proto") == 1);
  CHECK(seen.count("google/api/http.proto") == 1);
}

TEST_CASE("the set builds a pool on its own") {
  google::protobuf::FileDescriptorSet set = BuildDescriptorSet({fntest::Request::descriptor()->file()});
  google::protobuf::DescriptorPool pool;
  for (const auto& file : set.file()) REQUIRE(pool.BuildFile(file) != nullptr);
  CHECK(pool.FindServiceByName("fntest.Model") != nullptr);
}

}  // namespace
