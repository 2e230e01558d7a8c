// The descriptor pool of the transcoding tests and the fuzz target: built by the sidecar's own
// BuildDescriptorPool from the FileDescriptorSet protoc wrote at build time (the test API and the
// shopping cart), exactly as the sidecar builds it from a user function's discovery reply.
#pragma once

#include <google/protobuf/descriptor.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "proxy/descriptor_set.h"

namespace cloudstate::transcodingtest {

inline constexpr char kLibrary[] = "cloudstate.transcoding.test.Library";
inline constexpr char kBrokenRules[] = "cloudstate.transcoding.test.BrokenRules";
inline constexpr char kShoppingCart[] = "com.example.shoppingcart.ShoppingCart";

inline const google::protobuf::DescriptorPool& TestPool() {
  static const std::unique_ptr<google::protobuf::DescriptorPool> pool = [] {
    std::ifstream file(TRANSCODING_TEST_DESCRIPTORS, std::ios::binary);
    std::stringstream bytes;
    bytes << file.rdbuf();
    auto built = cloudstate::proxy::BuildDescriptorPool(bytes.str());
    if (!file || !built.ok()) {
      std::fprintf(stderr, "cannot build the test descriptor pool from %s: %s\n", TRANSCODING_TEST_DESCRIPTORS,
                   built.ok() ? "unreadable" : built.status().ToString().c_str());
      std::abort();
    }
    return std::move(built).value();
  }();
  return *pool;
}

}  // namespace cloudstate::transcodingtest
