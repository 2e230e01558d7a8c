// Any messages as set elements and map keys: compared byte-wise on (type_url, value), held as the
// bytes of an Any carrying just those two fields.
#pragma once

#include <google/protobuf/any.pb.h>

#include <string>

namespace cloudstate::replicated {

inline std::string AnyKey(const google::protobuf::Any& any) {
  google::protobuf::Any bare;
  bare.set_type_url(any.type_url());
  bare.set_value(any.value());
  return bare.SerializeAsString();
}

inline google::protobuf::Any AnyFromKey(const std::string& key) {
  google::protobuf::Any any;
  any.ParseFromString(key);  // our own encoding of a valid Any: cannot fail
  return any;
}

}  // namespace cloudstate::replicated
