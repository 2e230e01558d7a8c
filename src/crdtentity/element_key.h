// Set elements and map keys compared byte-wise on (type URL, bytes), as the replicated CRDTs do.
#pragma once

#include <string>

#include <google/protobuf/any.pb.h>

namespace cloudstate::crdtentity {

inline std::string ElementKey(const google::protobuf::Any& any) {
  google::protobuf::Any bare;
  bare.set_type_url(any.type_url());
  bare.set_value(any.value());
  return bare.SerializeAsString();
}

}  // namespace cloudstate::crdtentity
