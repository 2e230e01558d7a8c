// The typed CRDT values against the deltas the reference support exchanges with a proxy (the
// conformance kit's CRDT model cases check the same on the wire).
#include <doctest/doctest.h>

#include <google/protobuf/wrappers.pb.h>

#include "crdtentity/crdt_codec.h"

namespace cloudstate::testing {
namespace {

using internal::CrdtCodec;
namespace pb = ::cloudstate::crdt;

google::protobuf::Any Element(const std::string& text) {
  google::protobuf::StringValue value;
  value.set_value(text);
  return PackAny(value);
}

TEST_CASE("an ORSet element removed and added back in one delta is in neither list") {
  pb::CrdtDelta start;
  *start.mutable_orset()->add_added() = Element("a");
  *start.mutable_orset()->add_added() = Element("c");
  Result<std::unique_ptr<CrdtValue>> value = CrdtCodec::FromView(start);
  REQUIRE(value.ok());
  auto& set = static_cast<ORSet&>(**value);
  CHECK(set.Remove(Element("c")));
  CHECK(set.Add(Element("b")));
  CHECK(set.Add(Element("c")));
  std::optional<pb::CrdtDelta> delta = CrdtCodec::TakeDelta(set);
  REQUIRE(delta.has_value());
  CHECK_FALSE(delta->orset().cleared());
  CHECK(delta->orset().removed_size() == 0);
  REQUIRE(delta->orset().added_size() == 1);
  CHECK(delta->orset().added(0).value() == Element("b").value());
}

TEST_CASE("a flag delta saying false leaves an enabled flag on") {
  pb::CrdtDelta on;
  on.mutable_flag()->set_value(true);
  Result<std::unique_ptr<CrdtValue>> value = CrdtCodec::FromView(on);
  REQUIRE(value.ok());
  pb::CrdtDelta off;
  off.mutable_flag()->set_value(false);
  CHECK(CrdtCodec::Apply(**value, off).ok());
  CHECK(static_cast<Flag&>(**value).Value());
}

}  // namespace
}  // namespace cloudstate::testing
